package dev.sympaappliance.builder.image;

import com.google.cloud.tools.jib.api.DescriptorDigest;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.docker.json.DockerManifestEntryTemplate;
import com.google.cloud.tools.jib.image.Image;
import com.google.cloud.tools.jib.image.ImageTarball;
import com.google.cloud.tools.jib.image.Layer;
import com.google.cloud.tools.jib.image.json.ImageToJsonTranslator;
import com.google.cloud.tools.jib.json.JsonTemplateMapper;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The image inside the {@link ImageTarball} Jib hands {@code DockerClient.load}, so that the
 * archive for the daemon can be written without touching the layers it already has: Jib's own
 * {@code writeTo} reads and hashes every layer file, the 40–90 MB of compressed base included,
 * which in a fresh JVM took about 0.4 s of a rebuild, even when {@link LayerOmittingTarStream} then
 * drops those bytes.
 *
 * <p>Jib has no accessor for it, so its three fields are read by reflection (jib-core 0.28.1). If a
 * later Jib renames them, {@link #of} is empty and the caller falls back to Jib's writeTo. The
 * archive written here is the one Jib's {@code dockerWriteTo} writes, minus those layer files: the
 * layers in the image's order as {@code HASH.tar.gz}, {@code config.json} from Jib's own translator
 * (so the image ID is Jib's), and {@code manifest.json} naming every layer.
 */
final class JibTarballContents {
  private final Image image;
  private final ImageReference reference;
  private final Set<String> tags;

  private JibTarballContents(Image image, ImageReference reference, Set<String> tags) {
    this.image = image;
    this.reference = reference;
    this.tags = tags;
  }

  static Optional<JibTarballContents> of(ImageTarball tarball) {
    try {
      Image image = (Image) field("image").get(tarball);
      ImageReference reference = (ImageReference) field("imageReference").get(tarball);
      @SuppressWarnings("unchecked")
      Set<String> tags = (Set<String>) field("allTargetImageTags").get(tarball);
      return Optional.of(new JibTarballContents(image, reference, Set.copyOf(tags)));
    } catch (ReflectiveOperationException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static Field field(String name) throws NoSuchFieldException {
    Field f = ImageTarball.class.getDeclaredField(name);
    f.setAccessible(true);
    return f;
  }

  /**
   * The docker-save archive of the image, without the files of the layers whose diff IDs are in
   * PRESENT.
   */
  void writeWithout(Set<DescriptorDigest> present, OutputStream out) throws IOException {
    TarArchiveOutputStream tar =
        new TarArchiveOutputStream(
            new FilterOutputStream(out) {
              @Override
              public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
              }

              @Override
              public void close() throws IOException {
                flush(); // the HTTP body goes on after the archive
              }
            });
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    DockerManifestEntryTemplate manifest = new DockerManifestEntryTemplate();
    for (Layer layer : image.getLayers()) {
      String name = layer.getBlobDescriptor().getDigest().getHash() + ".tar.gz";
      manifest.addLayerFile(name);
      if (present.contains(layer.getDiffId())) {
        continue;
      }
      tar.putArchiveEntry(entry(name, layer.getBlobDescriptor().getSize()));
      layer.getBlob().writeTo(tar);
      tar.closeArchiveEntry();
    }
    byte[] config =
        JsonTemplateMapper.toByteArray(
            new ImageToJsonTranslator(image).getContainerConfiguration());
    tar.putArchiveEntry(entry("config.json", config.length));
    tar.write(config);
    tar.closeArchiveEntry();
    manifest.setConfig("config.json");
    for (String tag : tags) {
      manifest.addRepoTag(reference.withQualifier(tag).toStringWithQualifier());
    }
    byte[] manifests = JsonTemplateMapper.toByteArray(List.of(manifest));
    tar.putArchiveEntry(entry("manifest.json", manifests.length));
    tar.write(manifests);
    tar.closeArchiveEntry();
    tar.close();
  }

  private static TarArchiveEntry entry(String name, long size) {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setSize(size);
    entry.setModTime(new Date(1000)); // Jib's entries' time
    return entry;
  }
}
