package dev.sympaappliance.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StatsTest {
  private static List<Double> oneTo(int n) {
    List<Double> v = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      v.add((double) i);
    }
    Collections.shuffle(v, new Random(n));
    return v;
  }

  @Test
  void percentilesAreNearestRankWithoutInterpolation() {
    assertThat(Stats.percentile(oneTo(10), 50)).isEqualTo(5.0);
    assertThat(Stats.percentile(oneTo(10), 95)).isEqualTo(10.0);
    assertThat(Stats.percentile(oneTo(100), 95)).isEqualTo(95.0);
    assertThat(Stats.percentile(oneTo(100), 99)).isEqualTo(99.0);
    assertThat(Stats.percentile(oneTo(101), 99)).isEqualTo(100.0);
    assertThat(Stats.percentile(oneTo(7), 100)).isEqualTo(7.0);
    assertThat(Stats.percentile(List.of(-0.4), 50)).isEqualTo(-0.4);
    assertThat(Stats.percentile(List.of(), 99)).isNaN();
  }

  /**
   * The definition the benchmark always used: the sorted values' element at ceil(p/100 · n) − 1,
   * clamped.
   */
  @Test
  void percentileIsTheElementAtRankCeilPN() {
    Random random = new Random(5);
    for (int n = 1; n <= 600; n++) {
      List<Double> v = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        v.add(random.nextInt(4) == 0 ? random.nextInt(10) : random.nextGaussian() * 1000);
      }
      List<Double> sorted = new ArrayList<>(v);
      Collections.sort(sorted);
      for (int p : new int[] {1, 5, 25, 50, 90, 95, 99, 100, 1 + random.nextInt(100)}) {
        int i = (int) Math.ceil(p / 100.0 * n) - 1;
        double expected = sorted.get(Math.max(0, Math.min(n - 1, i)));
        assertThat(Stats.percentile(v, p)).as("n=%d p=%d", n, p).isEqualTo(expected);
      }
    }
  }

  @Test
  void medianIsTheMiddleOrTheMeanOfTheTwoMiddleValues() {
    assertThat(Stats.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
    assertThat(Stats.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
    assertThat(Stats.median(List.of(0.1, 0.7))).isEqualTo((0.1 + 0.7) / 2);
  }

  @Test
  void nodeHoldsRoundedMedianMinMaxUnitAndRuns() {
    ObjectNode n = Stats.node(List.of(1.23456, 0.5, 2.0), "s");
    assertThat(n.toString())
        .isEqualTo(
            "{\"median\":1.235,\"min\":0.5,\"max\":2.0,\"unit\":\"s\",\"runs\":[1.235,0.5,2.0]}");
  }
}
