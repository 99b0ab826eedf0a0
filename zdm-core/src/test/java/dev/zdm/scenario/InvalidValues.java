package dev.zdm.scenario;

/** Whether the column holds values the new type refuses, so a plain ALTER fails and zdm must refuse its cutover. */
enum InvalidValues {
    NONE,
    /** Some rows of the initial data. */
    INITIAL,
    /** Written by the workload during expand and the jobs (each such row is left alone afterwards). */
    WRITTEN
}
