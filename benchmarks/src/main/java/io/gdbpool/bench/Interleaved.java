package io.gdbpool.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the variants of one comparison in turn, A B, B A, A B ..., so that whatever else
 * the machine does meanwhile falls on both alike: first {@code warmups} unrecorded
 * rounds, then {@code pairs} recorded rounds.
 */
final class Interleaved {

	/** One trial of a variant; returns its figure (ops/s, µs, ...). */
	interface Trial {

		double run() throws Exception;

	}

	private final Map<String, Trial> variants = new LinkedHashMap<>();

	private final Map<String, List<Double>> results = new LinkedHashMap<>();

	Interleaved add(String name, Trial trial) {
		this.variants.put(name, trial);
		this.results.put(name, new ArrayList<>());
		return this;
	}

	Interleaved run(String label, int warmups, int pairs) throws Exception {
		for (int round = -warmups; round < pairs; round++) {
			StringBuilder line = new StringBuilder("  ").append(label)
				.append(round < 0 ? " warm-up" : " round " + (round + 1))
				.append(':');
			// the order rotates each round (A B, B A, A B, ...) so that no variant always
			// runs first
			List<Map.Entry<String, Trial>> order = new ArrayList<>(this.variants.entrySet());
			java.util.Collections.rotate(order, -Math.floorMod(round, order.size()));
			for (Map.Entry<String, Trial> variant : order) {
				double value = variant.getValue().run();
				if (round >= 0) {
					this.results.get(variant.getKey()).add(value);
				}
				line.append(' ').append(variant.getKey()).append('=').append(String.format("%.1f", value));
			}
			Log.progress(line.toString());
		}
		return this;
	}

	List<Double> values(String name) {
		return this.results.get(name);
	}

	Stats stats(String name) {
		return new Stats(this.results.get(name));
	}

	/** Ratio a/b of each recorded round. */
	Stats pairRatios(String a, String b) {
		List<Double> x = this.results.get(a);
		List<Double> y = this.results.get(b);
		double[] ratios = new double[x.size()];
		for (int i = 0; i < ratios.length; i++) {
			ratios[i] = x.get(i) / y.get(i);
		}
		return new Stats(ratios);
	}

}
