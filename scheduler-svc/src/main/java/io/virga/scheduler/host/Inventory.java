package io.virga.scheduler.host;

/**
 * One resource class a host offers (an inventory row).
 *
 * <p>Capacity is {@code floor((total - reserved) * allocationRatio)}; one
 * allocation of this class must be between {@code minUnit} and
 * {@code maxUnit} and a multiple of {@code stepSize}. The same arithmetic
 * (IEEE double multiplication, then floor) runs in Java here and in SQL in
 * the claim, so both agree on every host.
 */
public record Inventory(long total, long reserved, long minUnit, long maxUnit, long stepSize,
                        double allocationRatio, long used) {
    public Inventory {
        if (total < 0 || reserved < 0 || minUnit < 0 || maxUnit < minUnit || stepSize < 1 || used < 0) {
            throw new IllegalArgumentException("inventory out of range: total=" + total + " reserved=" + reserved
                    + " min=" + minUnit + " max=" + maxUnit + " step=" + stepSize + " used=" + used);
        }
        if (!(allocationRatio > 0) || Double.isInfinite(allocationRatio)) {
            throw new IllegalArgumentException("allocation ratio must be a positive number: " + allocationRatio);
        }
    }

    /**
     * A fresh inventory of {@code total} with no reservation, step 1 and unit limits
     * 1..capacity (a single allocation may use everything overcommit allows).
     */
    public static Inventory of(long total, double ratio) {
        return new Inventory(total, 0, Math.min(1, total), defaultMaxUnit(total, ratio), 1, ratio, 0);
    }

    /** {@code max(floor(total × ratio), 1)}. */
    public static long defaultMaxUnit(long total, double ratio) {
        return Math.max((long) Math.floor(total * ratio), 1);
    }

    public long capacity() {
        return (long) Math.floor(Math.max(total - reserved, 0) * allocationRatio);
    }

    /** Free amount after overcommit; negative when the total dropped below usage. */
    public long free() {
        return capacity() - used;
    }

    /** Whether one allocation of {@code amount} respects min, max and step (not whether it fits). */
    public boolean unitOk(long amount) {
        return amount == 0 || (amount >= minUnit && amount <= maxUnit && amount % stepSize == 0);
    }

    public boolean fits(long amount) {
        return unitOk(amount) && amount <= free();
    }

    public Inventory withUsed(long newUsed) {
        return new Inventory(total, reserved, minUnit, maxUnit, stepSize, allocationRatio, newUsed);
    }
}
