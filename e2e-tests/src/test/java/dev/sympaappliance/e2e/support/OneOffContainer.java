package dev.sympaappliance.e2e.support;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.utility.DockerImageName;

/**
 * A container run to its end, as `docker run --rm IMAGE …` is: its exit status and its log. For an
 * image's own start that must fail, or a command on volumes that no server holds.
 */
public final class OneOffContainer {
  private OneOffContainer() {}

  /**
   * How a one-off container ended: its exit status and its output (stdout and stderr, in order).
   */
  public record Ended(int exitCode, String output) {
    /** The output's lines, blank ones left out. */
    public List<String> lines() {
      return output.lines().filter(line -> !line.isEmpty()).toList();
    }
  }

  /**
   * The image's entrypoint (with {@code command}) on {@code binds}, with the list server's host
   * name.
   */
  public static Ended run(DockerImageName image, Bind[] binds, String... command)
      throws InterruptedException {
    return run(
        image,
        cmd ->
            cmd.withHostName(ListServerImages.HOSTNAME)
                .withHostConfig(HostConfig.newHostConfig().withBinds(binds))
                .withCmd(command));
  }

  /** {@code sh -c shellCommand} instead of the entrypoint, on {@code binds}. */
  public static Ended shell(DockerImageName image, Bind[] binds, String shellCommand)
      throws InterruptedException {
    return run(
        image,
        cmd ->
            cmd.withHostName(ListServerImages.HOSTNAME)
                .withHostConfig(HostConfig.newHostConfig().withBinds(binds))
                .withEntrypoint("sh", "-c", shellCommand));
  }

  /**
   * A container of {@code image} as {@code how} sets it up, run until it exits (at most 3 minutes).
   */
  public static Ended run(DockerImageName image, Consumer<CreateContainerCmd> how)
      throws InterruptedException {
    DockerClient docker = DockerClientFactory.instance().client();
    CreateContainerCmd create = docker.createContainerCmd(image.asCanonicalNameString());
    how.accept(create);
    String id = create.exec().getId();
    try {
      docker.startContainerCmd(id).exec();
      int exit = docker.waitContainerCmd(id).start().awaitStatusCode(3, TimeUnit.MINUTES);
      StringBuilder log = new StringBuilder();
      docker
          .logContainerCmd(id)
          .withStdOut(true)
          .withStdErr(true)
          .exec(
              new ResultCallback.Adapter<Frame>() {
                @Override
                public void onNext(Frame frame) {
                  log.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                }
              })
          .awaitCompletion(30, TimeUnit.SECONDS);
      return new Ended(exit, log.toString());
    } catch (DockerClientException stillRunning) {
      // awaitStatusCode gives up with this when the container has not exited: a test of a start
      // that must be refused fails here, saying so, rather than with the client's own words.
      throw new AssertionError(
          "the container of "
              + image.asCanonicalNameString()
              + " was still running after 3 minutes; expected it to exit",
          stillRunning);
    } finally {
      docker.removeContainerCmd(id).withForce(true).exec();
    }
  }
}
