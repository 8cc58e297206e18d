package dev.spalce.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The README's table of rewrap budgets, the one place their defaults and reasons are written down for operators:
 * rewrap-worker's and crypto-service's tests hold their settings to it.
 */
public final class RewrapBudgetTable {

    private static final String HEADER = "| provider | default (requests/s) |";
    private static final Pattern ROW = Pattern.compile("^\\| `?([a-z0-9 -]+?)`? \\| (\\d+) \\|", Pattern.MULTILINE);

    private RewrapBudgetTable() {}

    /** Provider (or "any other") to its default rewrap budget in KMS requests per second, in the table's order. */
    public static Map<String, Double> fromReadme() {
        String readme;
        try {
            readme = Files.readString(ServiceProcess.repositoryRoot().resolve("README.md"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int start = readme.indexOf(HEADER);
        if (start < 0) {
            throw new IllegalStateException("the README has no table of rewrap budgets (" + HEADER + ")");
        }
        Map<String, Double> rows = new LinkedHashMap<>();
        Matcher row = ROW.matcher(readme.substring(start, readme.indexOf("\n\n", start)));
        while (row.find()) {
            rows.put(row.group(1), Double.parseDouble(row.group(2)));
        }
        return rows;
    }
}
