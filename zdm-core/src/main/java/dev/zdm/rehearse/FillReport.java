package dev.zdm.rehearse;

import java.util.List;

/** What {@link SyntheticRows#fill} did, per table (placeholder; replaced at merge by the full version). */
public record FillReport(List<TableFill> tables) {
}
