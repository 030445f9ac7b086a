package dev.sympaappliance.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.commons.math3.stat.descriptive.rank.Percentile;
import org.apache.commons.math3.stat.descriptive.rank.Percentile.EstimationType;

/**
 * The figures of repeated measurements. Percentiles are commons-math3's estimation type R-1 (the
 * inverse of the empirical distribution: the value at rank ceil(p·n), no interpolation). The median
 * stays written here: commons-math's Median interpolates a + 0.5·(b − a) between the two middle
 * values of an even count, which can differ from this (a + b) / 2 in the last bit.
 */
final class Stats {
  private Stats() {}

  /** The middle value, or the mean of the two middle values. */
  static double median(List<Double> values) {
    List<Double> s = new ArrayList<>(values);
    Collections.sort(s);
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  /** The PERCENT-th percentile (0 < PERCENT ≤ 100) by nearest rank; NaN for no values. */
  static double percentile(List<Double> values, double percent) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
    return new Percentile().withEstimationType(EstimationType.R_1).evaluate(v, percent);
  }

  /** {median, min, max, unit, runs}, each value rounded to 3 decimals. */
  static ObjectNode node(List<Double> values, String unit) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("median", round(median(values), 3));
    o.put("min", round(Collections.min(values), 3));
    o.put("max", round(Collections.max(values), 3));
    o.put("unit", unit);
    ArrayNode a = o.putArray("runs");
    values.forEach(x -> a.add(round(x, 3)));
    return o;
  }

  static double round(double v, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }
}
