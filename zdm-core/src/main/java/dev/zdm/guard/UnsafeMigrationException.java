package dev.zdm.guard;

import dev.zdm.ZdmException;
import dev.zdm.sql.Finding;
import java.util.List;

/** The guard refused a statement before it ran, because a rule judged it unsafe. */
public class UnsafeMigrationException extends ZdmException {

    private static final long serialVersionUID = 1L;

    private final transient List<Finding> findings;
    private final transient ChangeSetRef changeSet;

    public UnsafeMigrationException(List<Finding> findings, ChangeSetRef changeSet) {
        super(message(findings, changeSet));
        this.findings = List.copyOf(findings);
        this.changeSet = changeSet;
    }

    /** The rules the statement breaks. */
    public List<Finding> findings() {
        return findings;
    }

    /** The changeset it belongs to, or {@code null} outside a migration. */
    public ChangeSetRef changeSet() {
        return changeSet;
    }

    /** The refusal text for these findings; also logged when an unsafe statement is allowed to run. */
    public static String message(List<Finding> findings, ChangeSetRef changeSet) {
        StringBuilder text = new StringBuilder("zdm refused an unsafe statement before running it.");
        Finding first = findings.get(0);
        text.append("\n  changeset: ").append(changeSet == null ? "(none: not run by a migration)" : changeSet.describe());
        if (first.table() != null) {
            text.append("\n  table:     ").append(first.table().sql());
        }
        text.append("\n  statement: ").append(first.statement() == null ? "" : first.statement().strip());
        for (Finding finding : findings) {
            text.append("\n  rule:      ").append(finding.rule().id()).append(": ").append(finding.rule().problem());
            if (finding.column() != null) {
                text.append(" [column ").append(finding.column()).append(']');
            }
            if (finding.detail() != null) {
                text.append(" (").append(finding.detail()).append(')');
            }
            text.append("\n  instead:   ").append(finding.rule().fix());
        }
        text.append("\n  override:  if this is intended (e.g. the table is small, or this runs in a maintenance window), "
                + "give the changeset a reason: zdm:allowUnsafe=\"...\" in XML, allowUnsafe: ... in YAML/JSON, or a line "
                + "'--zdm:allowUnsafe ...' in SQL; zdm.guard.start-after marks already-released changesets as history; "
                + "zdm.guard.mode=warn only logs");
        return text.toString();
    }
}
