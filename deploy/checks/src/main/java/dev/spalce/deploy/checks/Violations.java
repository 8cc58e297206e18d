package dev.spalce.deploy.checks;

import java.util.ArrayList;
import java.util.List;

/** What a check found wrong, one line each; empty when the check passes. */
public final class Violations {

    private final List<String> found = new ArrayList<>();

    public void add(String violation) {
        found.add(violation);
    }

    /** Adds {@code violation} unless {@code ok}. */
    public void require(boolean ok, String violation) {
        if (!ok) {
            found.add(violation);
        }
    }

    public void addAll(List<String> violations) {
        found.addAll(violations);
    }

    public List<String> list() {
        return List.copyOf(found);
    }
}
