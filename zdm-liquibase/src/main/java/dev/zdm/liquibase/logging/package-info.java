/** zdm's SLF4J messages routed to Liquibase's console and log, for the zdm-liquibase bundle. */
package dev.zdm.liquibase.logging;
