package dev.spalce.kit.api;

import jakarta.enterprise.context.RequestScoped;

/** Facts about the HTTP request being served that logs, errors and audit events need. */
@RequestScoped
public class RequestMetadata {

    private String requestId;
    private String sourceAddress;

    public String requestId() {
        return requestId;
    }

    public String sourceAddress() {
        return sourceAddress;
    }

    void set(String requestId, String sourceAddress) {
        this.requestId = requestId;
        this.sourceAddress = sourceAddress;
    }
}
