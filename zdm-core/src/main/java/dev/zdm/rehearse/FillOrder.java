package dev.zdm.rehearse;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The order to fill tables in: parents before children (FOREIGN KEYs between the tables to fill).
 * <ol>
 * <li>A table whose parents are all filled is ready; among ready tables, ones with triggers go first (an audit
 * trigger's rows then land in a table not yet topped up), then by name.</li>
 * <li>A self-reference is not an edge; its FOREIGN KEY is deferred (NULL at insert, pointed at rows afterwards) when
 * its columns are nullable.</li>
 * <li>When no table is ready, the tables left form a cycle: a FOREIGN KEY among them with nullable columns is
 * deferred and the walk goes on; when none has, the first table left goes next anyway (its fill then says which
 * parent had no rows).</li>
 * </ol>
 */
final class FillOrder {

    /** The tables in fill order, and per table the FOREIGN KEYs to fill with NULL first and point at rows afterwards. */
    record Plan(List<FillTable> tables, Map<String, Set<String>> deferred) {

        boolean isDeferred(FillTable table, ForeignKey key) {
            return deferred.getOrDefault(table.name(), Set.of()).contains(key.name());
        }
    }

    private FillOrder() {
    }

    static Plan of(List<FillTable> tables) {
        Map<Long, FillTable> byOid = new LinkedHashMap<>();
        tables.forEach(t -> byOid.put(t.oid(), t));
        Map<String, Set<String>> deferred = new HashMap<>();
        Map<Long, Set<ForeignKey>> waiting = new HashMap<>();
        for (FillTable table : tables) {
            Set<ForeignKey> edges = new HashSet<>();
            for (ForeignKey key : table.foreignKeys()) {
                if (key.parentOid() == table.oid()) {
                    if (nullable(table, key)) {
                        deferred.computeIfAbsent(table.name(), k -> new HashSet<>()).add(key.name());
                    }
                } else if (byOid.containsKey(key.parentOid())) {
                    edges.add(key);
                }
            }
            waiting.put(table.oid(), edges);
        }
        Comparator<FillTable> priority = Comparator.comparing((FillTable t) -> !t.hasTriggers()).thenComparing(FillTable::name);
        List<FillTable> order = new ArrayList<>();
        Set<Long> placed = new HashSet<>();
        while (order.size() < tables.size()) {
            FillTable next = tables.stream().filter(t -> !placed.contains(t.oid()))
                    .filter(t -> waiting.get(t.oid()).stream().allMatch(k -> placed.contains(k.parentOid())))
                    .min(priority).orElse(null);
            if (next == null) {
                next = breakCycle(tables, placed, waiting, deferred);
            }
            order.add(next);
            placed.add(next.oid());
        }
        return new Plan(List.copyOf(order), deferred);
    }

    private static FillTable breakCycle(List<FillTable> tables, Set<Long> placed, Map<Long, Set<ForeignKey>> waiting,
            Map<String, Set<String>> deferred) {
        for (FillTable table : tables) {
            if (placed.contains(table.oid())) {
                continue;
            }
            for (ForeignKey key : waiting.get(table.oid())) {
                if (!placed.contains(key.parentOid()) && nullable(table, key)) {
                    waiting.get(table.oid()).remove(key);
                    deferred.computeIfAbsent(table.name(), k -> new HashSet<>()).add(key.name());
                    return tables.stream().filter(t -> !placed.contains(t.oid()))
                            .filter(t -> waiting.get(t.oid()).stream().allMatch(k -> placed.contains(k.parentOid())))
                            .findFirst().orElseGet(() -> breakCycle(tables, placed, waiting, deferred));
                }
            }
        }
        return tables.stream().filter(t -> !placed.contains(t.oid())).findFirst().orElseThrow();
    }

    static boolean nullable(FillTable table, ForeignKey key) {
        return key.columns().stream().noneMatch(attnum -> table.column(attnum).required());
    }
}
