package dev.zdm.liquibase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.validation.SchemaFactory;
import liquibase.Scope;
import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.parser.ChangeLogParserFactory;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.resource.ResourceAccessor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * zdm's XSD: Liquibase finds it in the jar at the path of the documented schemaLocation (the network is made
 * impossible here) and validates zdm's elements against it; every element and attribute is documented for IDEs.
 */
class XsdTest {

    private static final String XSD = "zdm.dev/xml/ns/zdm/zdm-1.0.xsd";
    private static final String NS = XMLConstants.W3C_XML_SCHEMA_NS_URI;

    private static ProxySelector previous;

    /** Every connection through java.net fails: a schema that is not found locally cannot be downloaded. */
    @BeforeAll
    static void noNetwork() {
        previous = ProxySelector.getDefault();
        ProxySelector.setDefault(new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                throw new IllegalStateException("no network in this test: " + uri);
            }

            @Override
            public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
            }
        });
    }

    @AfterAll
    static void network() {
        ProxySelector.setDefault(previous);
    }

    @Test
    void aChangelogUsingEveryZdmElementAndAttributeValidates() throws Exception {
        DatabaseChangeLog changeLog = parse("xsd/every-change.xml");
        assertThat(changeLog.getChangeSets()).hasSize(2);
        assertThat(changeLog.getChangeSets().get(0).getChanges()).hasSize(8);
        assertThat(changeLog.getChangeSets().get(1).getChanges()).hasSize(6);
    }

    @Test
    void aMisspelledZdmAttributeFailsXsdValidationNamingIt() {
        assertThatThrownBy(() -> parse("xsd/misspelled-attribute.xml")).hasStackTraceContaining("cvc-complex-type.3.2.2")
                .hasStackTraceContaining("shadowColumn").hasStackTraceContaining("zdm:expandColumnType");
        assertThatThrownBy(() -> parse("xsd/misspelled-attribute-latest.xml")).as("https and -latest resolve as well")
                .hasStackTraceContaining("cvc-complex-type.3.2.2").hasStackTraceContaining("shadowColumn");
    }

    @Test
    void aValueZdmsXsdForbidsFailsValidation() {
        assertThatThrownBy(() -> parse("xsd/empty-table-name.xml")).hasStackTraceContaining("cvc-minLength-valid")
                .hasStackTraceContaining("nonEmpty");
    }

    @Test
    void aSchemaLocationNotInTheJarIsNotFetchedButRefused() {
        assertThatThrownBy(() -> parse("xsd/unknown-schema-version.xml"))
                .hasStackTraceContaining("Unable to resolve xml entity")
                .hasStackTraceContaining("zdm-9.9.xsd");
    }

    @Test
    void theXsdIsAtThePathLiquibaseDerivesFromTheSchemaLocation() throws Exception {
        // LiquibaseEntityResolver: systemId lowercased, http:// or https:// dropped, looked up on the classpath
        String derived = "http://zdm.dev/xml/ns/zdm/zdm-1.0.xsd".toLowerCase(java.util.Locale.ROOT).replaceFirst("https?://", "");
        assertThat(derived).isEqualTo(XSD);
        URL url = getClass().getClassLoader().getResource(derived);
        assertThat(url).isNotNull();
        SchemaFactory.newInstance(NS).newSchema(url); // compiles
        try (InputStream a = url.openStream();
                InputStream b = getClass().getClassLoader().getResource("zdm.dev/xml/ns/zdm/zdm-latest.xsd").openStream()) {
            assertThat(b.readAllBytes()).as("zdm-latest.xsd is zdm-1.0.xsd").isEqualTo(a.readAllBytes());
        }
    }

    @Test
    void everyElementAndAttributeIsDocumented() throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document xsd;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(XSD)) {
            xsd = factory.newDocumentBuilder().parse(in);
        }
        List<String> undocumented = new ArrayList<>();
        int checked = 0;
        for (String kind : List.of("element", "attribute", "attributeGroup")) {
            NodeList nodes = xsd.getElementsByTagNameNS(NS, kind);
            for (int i = 0; i < nodes.getLength(); i++) {
                Element node = (Element) nodes.item(i);
                if (!node.hasAttribute("name")) {
                    continue; // a reference
                }
                checked++;
                String doc = documentation(node);
                if (doc == null || doc.isBlank() || doc.length() < 10) {
                    String parent = "";
                    for (org.w3c.dom.Node up = node.getParentNode(); up instanceof Element e && parent.isEmpty(); up = up.getParentNode()) {
                        parent = e.getAttribute("name");
                    }
                    undocumented.add(kind + " " + node.getAttribute("name") + (parent.isEmpty() ? "" : " of " + parent));
                }
            }
        }
        assertThat(checked).as("elements and attributes checked").isGreaterThan(60);
        assertThat(undocumented).isEmpty();
    }

    private static String documentation(Element node) {
        for (org.w3c.dom.Node child = node.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element annotation && "annotation".equals(annotation.getLocalName())) {
                NodeList docs = annotation.getElementsByTagNameNS(NS, "documentation");
                return docs.getLength() == 0 ? null : docs.item(0).getTextContent();
            }
        }
        return null;
    }

    private static DatabaseChangeLog parse(String path) throws Exception {
        ResourceAccessor accessor = new ClassLoaderResourceAccessor(XsdTest.class.getClassLoader());
        return Scope.child(Map.of(Scope.Attr.resourceAccessor.name(), accessor),
                () -> ChangeLogParserFactory.getInstance().getParser(path, accessor).parse(path, new ChangeLogParameters(),
                        accessor));
    }
}
