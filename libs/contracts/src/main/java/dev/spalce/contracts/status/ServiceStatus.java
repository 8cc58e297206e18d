package dev.spalce.contracts.status;

/**
 * What an internal service says of itself at {@link #PATH} (service kit), for the gateway's system view.
 *
 * @param service the service's name
 * @param status {@code UP} or {@code DOWN}, as its readiness checks report
 */
public record ServiceStatus(String service, String status) {

    public static final String PATH = "/internal/v1/status";
}
