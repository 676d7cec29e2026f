package io.gdbpool.bench;

import java.util.Arrays;
import java.util.List;

/**
 * Order statistics of a handful of trial results: the harness reports medians and spread,
 * never means, because a shared 2-core machine gives a few wild trials.
 */
final class Stats {

	private final double[] sorted;

	Stats(List<Double> values) {
		this.sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
	}

	Stats(double[] values) {
		this.sorted = values.clone();
		Arrays.sort(this.sorted);
	}

	int count() {
		return this.sorted.length;
	}

	double median() {
		return quantile(0.5);
	}

	double min() {
		return this.sorted.length == 0 ? Double.NaN : this.sorted[0];
	}

	double max() {
		return this.sorted.length == 0 ? Double.NaN : this.sorted[this.sorted.length - 1];
	}

	double q1() {
		return quantile(0.25);
	}

	double q3() {
		return quantile(0.75);
	}

	/** Linear interpolation between closest ranks. */
	double quantile(double q) {
		int n = this.sorted.length;
		if (n == 0) {
			return Double.NaN;
		}
		double pos = q * (n - 1);
		int lo = (int) Math.floor(pos);
		int hi = (int) Math.ceil(pos);
		return this.sorted[lo] + (this.sorted[hi] - this.sorted[lo]) * (pos - lo);
	}

	String describe(String format) {
		return String.format(format, median()) + " (" + String.format(format, min()) + "–"
				+ String.format(format, max()) + ")";
	}

}
