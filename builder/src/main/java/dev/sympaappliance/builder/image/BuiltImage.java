package dev.sympaappliance.builder.image;

/**
 * The result of an image build: reference, manifest digest, image (config) ID, and where the time
 * went.
 */
public record BuiltImage(
    String reference, String digest, String imageId, ImageTarget target, BuildTimings timings) {}
