package dev.zdm.rehearse;

import java.util.List;

/**
 * A column's type as the fill needs it, domains resolved to their base type.
 *
 * @param name {@code format_type} of the column's own type (with its modifier), e.g. {@code character varying(20)}
 * @param typname {@code pg_type.typname} of the base type ({@code varchar}, {@code int4}, {@code my_enum})
 * @param typtype {@code b} base, {@code e} enum, {@code r} range, {@code c} composite ... of the base type
 * @param category {@code pg_type.typcategory} of the base type
 * @param typmod the modifier that applies (the column's, else the domain's)
 * @param baseName {@code format_type} of the base type with that modifier: what generated values are cast to
 * @param enumLabels the labels in sort order, for enums
 * @param element the element type, for arrays
 * @param domainChecks the CHECK expressions of the domains on the way, written in terms of {@code VALUE}
 * @param domainNotNull whether a domain on the way is NOT NULL
 */
record SqlType(String name, String typname, String typtype, String category, int typmod, String baseName,
        List<String> enumLabels, SqlType element, List<String> domainChecks, boolean domainNotNull) {
}
