package pomf.it.load;

import java.util.Arrays;
import java.util.Random;

/** Draws rank k (0-based) with probability proportional to 1/(k+1)^exponent, as edge-bench-zipf.py does. */
final class ZipfPicker {
    private final double[] cumulative;

    ZipfPicker(int count, double exponent) {
        cumulative = new double[count];
        double sum = 0;
        for (int k = 0; k < count; k++) {
            sum += 1.0 / Math.pow(k + 1, exponent);
            cumulative[k] = sum;
        }
    }

    int pick(Random random) {
        double target = random.nextDouble() * cumulative[cumulative.length - 1];
        int index = Arrays.binarySearch(cumulative, target);
        return Math.min(index >= 0 ? index : -index - 1, cumulative.length - 1);
    }
}
