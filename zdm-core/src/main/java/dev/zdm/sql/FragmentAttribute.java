package dev.zdm.sql;

import java.util.Optional;

/**
 * One attribute a change or job writes into its SQL, with what it must be.
 *
 * @param name the attribute's name as the user writes it, e.g. {@code newDataType}
 * @param value its value, {@code null} when absent
 * @param expected what it must be
 */
public record FragmentAttribute(String name, String value, Fragment expected) {

    /** The lexical problem with the value, empty when it is fine or absent. */
    public Optional<FragmentProblem> check() {
        return SqlFragments.check(name, value, expected);
    }
}
