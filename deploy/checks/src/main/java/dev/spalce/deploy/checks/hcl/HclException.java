package dev.spalce.deploy.checks.hcl;

/** A syntax error, or a construct this parser does not read. */
public final class HclException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public HclException(String message, int line) {
        super("line " + line + ": " + message);
    }
}
