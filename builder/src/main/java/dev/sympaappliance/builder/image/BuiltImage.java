package dev.sympaappliance.builder.image;

import java.util.List;

/**
 * The result of an image build: its reference, its digest (of its manifest, or of the image index
 * over several platforms), where it went, where the time went, and the image of each platform.
 */
public record BuiltImage(
    String reference,
    String digest,
    ImageTarget target,
    BuildTimings timings,
    List<PlatformImage> images) {

  /**
   * One platform's image: its architecture (amd64, arm64), manifest digest and image (config) ID.
   */
  public record PlatformImage(String architecture, String digest, String imageId) {}

  public BuiltImage {
    images = List.copyOf(images);
  }

  /** An image of one platform. */
  public static BuiltImage single(
      String reference, ImageTarget target, BuildTimings timings, PlatformImage image) {
    return new BuiltImage(reference, image.digest(), target, timings, List.of(image));
  }

  /** The image ID of an image of one platform (an image index has one per platform). */
  public String imageId() {
    if (images.size() != 1) {
      throw new IllegalStateException(
          reference + " is an image index over " + images.size() + " platforms");
    }
    return images.get(0).imageId();
  }
}
