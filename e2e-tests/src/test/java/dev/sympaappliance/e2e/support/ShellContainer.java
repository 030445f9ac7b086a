package dev.sympaappliance.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/** A container of the appliance's images, driven by shell commands run inside it. */
public abstract class ShellContainer<SELF extends ShellContainer<SELF>>
    extends GenericContainer<SELF> {
  public ShellContainer(DockerImageName image) {
    super(image);
  }

  /**
   * Runs {@code sh -c shellCommand}; its stdout, or an exception naming the command and its stderr.
   */
  public String execOk(String shellCommand) {
    ExecResult result = exec(shellCommand);
    if (result.getExitCode() != 0) {
      throw new IllegalStateException(
          "`" + shellCommand + "` failed (" + result.getExitCode() + "): " + result.getStderr());
    }
    return result.getStdout();
  }

  /** Queue IDs of messages still in Postfix's queue (images that run Postfix). */
  public List<String> queuedMessages() {
    return dev.sympaappliance.testcontainers.SympaApplianceContainer.queueIds(
        execOk("postqueue -j"));
  }

  public ExecResult exec(String shellCommand) {
    try {
      return execInContainer("sh", "-c", shellCommand);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
