package dev.sympaappliance.builder.image;

import com.google.cloud.tools.jib.event.events.TimerEvent;
import java.time.Duration;
import java.util.Locale;

/**
 * Where the time of one image build went: rendering the configuration, making the base ready
 * (loading it into the daemon, or Jib reading or unpacking it), building the configuration layer,
 * and writing the image (loading it into the daemon, or writing the tarball). Filled from Jib's
 * timer events, whose descriptions name the step.
 */
public final class BuildTimings {
  private Duration render = Duration.ZERO;
  private Duration base = Duration.ZERO;
  private Duration layer = Duration.ZERO;
  private Duration write = Duration.ZERO;

  public void addRender(Duration d) {
    render = render.plus(d);
  }

  public void addBase(Duration d) {
    base = base.plus(d);
  }

  /**
   * One of Jib's finished timers: the base (from the daemon or a tarball), a layer, or the output.
   */
  void onJibTimer(TimerEvent event, String layerName) {
    if (event.getState() != TimerEvent.State.FINISHED) {
      return;
    }
    String step = event.getDescription();
    if (step.startsWith("Saving ") && step.endsWith(" from Docker daemon")
        || step.startsWith("Extracting tar ")) {
      base = base.plus(event.getDuration());
    } else if (step.equals("Building " + layerName + " layer")) {
      layer = layer.plus(event.getDuration());
    } else if (step.equals("Loading to Docker daemon") || step.equals("Building image tarball")) {
      write = write.plus(event.getDuration());
    }
  }

  public Duration render() {
    return render;
  }

  public Duration base() {
    return base;
  }

  public Duration layer() {
    return layer;
  }

  public Duration write() {
    return write;
  }

  /**
   * {@code render 0.01 s, base 0.00 s, layer 0.03 s, load 0.23 s} (or {@code tarball} for a tar
   * output).
   */
  public String describe(boolean toDaemon) {
    return String.format(
        Locale.ROOT,
        "render %s, base %s, layer %s, %s %s",
        seconds(render),
        seconds(base),
        seconds(layer),
        toDaemon ? "load" : "tarball",
        seconds(write));
  }

  static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.3f s", d.toNanos() / 1e9);
  }
}
