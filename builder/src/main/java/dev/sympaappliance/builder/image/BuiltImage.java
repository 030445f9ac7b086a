package dev.sympaappliance.builder.image;

/** The result of an image build: reference, manifest digest and image (config) ID. */
public record BuiltImage(String reference, String digest, String imageId, ImageTarget target) {}
