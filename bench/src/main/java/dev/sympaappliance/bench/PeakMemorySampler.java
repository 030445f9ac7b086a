package dev.sympaappliance.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Samples a container's processes every 500 ms and keeps the sample with the largest container RSS.
 */
final class PeakMemorySampler {
  private final ContainerMetrics metrics;
  private final ObjectNode peak = JsonNodeFactory.instance.objectNode();
  private final Thread thread = new Thread(this::sample);
  private long peakRss = -1;

  PeakMemorySampler(ContainerMetrics metrics) {
    this.metrics = metrics;
  }

  void start() {
    thread.start();
  }

  void stop() throws InterruptedException {
    thread.interrupt();
    thread.join();
  }

  /** The kept sample (empty if none was taken). */
  ObjectNode peak() {
    synchronized (peak) {
      return peak.deepCopy();
    }
  }

  private void sample() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        ObjectNode s = metrics.sampleProcesses();
        long rss = s.path("container_total_rss_kib").asLong(0);
        if (rss > peakRss) {
          peakRss = rss;
          synchronized (peak) {
            peak.removeAll();
            peak.setAll(s);
          }
        }
        Thread.sleep(500);
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        // process vanished while being read: next sample
      }
    }
  }
}
