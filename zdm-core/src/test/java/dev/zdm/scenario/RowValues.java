package dev.zdm.scenario;

/** A row's values as text, as a writer last committed them ({@code c} is {@code null} for a key column change). */
record RowValues(String c, String note, String a, String b) {

    RowValues withC(String value) {
        return new RowValues(value, note, a, b);
    }

    RowValues withNote(String value) {
        return new RowValues(c, value, a, b);
    }

    RowValues withFactors(String newA, String newB) {
        return new RowValues(c, note, newA, newB);
    }
}
