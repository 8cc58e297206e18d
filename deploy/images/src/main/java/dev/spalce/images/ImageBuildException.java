package dev.spalce.images;

/** An image could not be built; the message says what is missing or what failed, and how to fix it. */
public final class ImageBuildException extends RuntimeException {

    public ImageBuildException(String message) {
        super(message);
    }
}
