package org.oneshot.pipeline.internal.sampling;

import java.util.ArrayList;
import java.util.List;
import org.oneshot.api.Sample;

/**
 * Every candidate pair of one label, numbered 0..size-1 without being listed, so that k distinct
 * pairs can be drawn uniformly by drawing k distinct numbers (memory O(k), not O(size)).
 */
interface PairSpace {
  long size();

  /** The pair numbered {@code index}, first and second. */
  Sample[] pair(long index);

  /** All of {@code firsts} × all of {@code seconds} (the seed's anchor × positive/negative). */
  static PairSpace cross(List<Sample> firsts, List<Sample> seconds) {
    long size = (long) firsts.size() * seconds.size();
    return new PairSpace() {
      @Override
      public long size() {
        return size;
      }

      @Override
      public Sample[] pair(long index) {
        int n = seconds.size();
        return new Sample[] {firsts.get((int) (index / n)), seconds.get((int) (index % n))};
      }
    };
  }

  /** Unordered pairs of two different samples of the same group. */
  static PairSpace withinGroups(List<List<Sample>> groups) {
    long[] ends = new long[groups.size()];
    long total = 0;
    for (int g = 0; g < groups.size(); g++) {
      long n = groups.get(g).size();
      total += n * (n - 1) / 2;
      ends[g] = total;
    }
    long size = total;
    return new PairSpace() {
      @Override
      public long size() {
        return size;
      }

      @Override
      public Sample[] pair(long index) {
        int g = groupOf(ends, index);
        long t = index - (g == 0 ? 0 : ends[g - 1]);
        List<Sample> group = groups.get(g);
        int n = group.size();
        // Unrank t among the pairs (a, b), a < b, ordered by a then b.
        int a = 0;
        while (t >= n - 1 - a) {
          t -= n - 1 - a;
          a++;
        }
        return new Sample[] {group.get(a), group.get(a + 1 + (int) t)};
      }
    };
  }

  /** Unordered pairs of samples from two different groups. */
  static PairSpace acrossGroups(List<List<Sample>> groups) {
    List<Sample> all = new ArrayList<>();
    groups.forEach(all::addAll);
    // A sample pairs with every sample after the end of its own group.
    int[] after = new int[all.size()];
    long[] ends = new long[all.size()];
    int position = 0;
    long total = 0;
    for (List<Sample> group : groups) {
      int groupEnd = position + group.size();
      for (int i = 0; i < group.size(); i++, position++) {
        after[position] = groupEnd;
        total += all.size() - groupEnd;
        ends[position] = total;
      }
    }
    long size = total;
    return new PairSpace() {
      @Override
      public long size() {
        return size;
      }

      @Override
      public Sample[] pair(long index) {
        int s = groupOf(ends, index);
        long t = index - (s == 0 ? 0 : ends[s - 1]);
        return new Sample[] {all.get(s), all.get(after[s] + (int) t)};
      }
    };
  }

  /** The entry covering {@code index}: the smallest i with {@code ends[i] > index}. */
  private static int groupOf(long[] ends, long index) {
    int lo = 0;
    int hi = ends.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (ends[mid] > index) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }
}
