package io.gdbpool.notify;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * gDBPool's key-value payload format, {@code k1:v1|k2:v2}: pairs separated by {@code |},
 * each key ending at its first {@code :} (a value may contain more colons). A pair
 * without a colon is a key with an empty value; empty pairs are skipped.
 */
final class PairsPayload {

	private PairsPayload() {
	}

	/**
	 * @param payload a payload in the format
	 * @return its pairs in payload order, unmodifiable
	 */
	static Map<String, String> parse(String payload) {
		Map<String, String> pairs = new LinkedHashMap<>();
		if (payload == null || payload.isEmpty()) {
			return Collections.unmodifiableMap(pairs);
		}
		int start = 0;
		int length = payload.length();
		while (start <= length) {
			int end = payload.indexOf('|', start);
			if (end < 0) {
				end = length;
			}
			if (end > start) {
				int colon = payload.indexOf(':', start);
				if (colon < 0 || colon > end) {
					pairs.put(payload.substring(start, end), "");
				}
				else {
					pairs.put(payload.substring(start, colon), payload.substring(colon + 1, end));
				}
			}
			start = end + 1;
		}
		return Collections.unmodifiableMap(pairs);
	}

}
