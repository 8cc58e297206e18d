package dev.spalce.gateway.dashboard.api;

/** The dashboard's paths: everything under /app signs in by the code flow; the JSON API stays under /api. */
final class DashboardPaths {

    static final String ROOT = "/app";
    static final String API_PREFIX = "/app/api/";

    private DashboardPaths() {}

    static boolean isDashboard(String path) {
        return path != null && (path.equals(ROOT) || path.startsWith(ROOT + "/"));
    }
}
