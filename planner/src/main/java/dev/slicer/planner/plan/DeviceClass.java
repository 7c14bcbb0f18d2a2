package dev.slicer.planner.plan;

import static dev.slicer.planner.InvalidPlanInputException.require;

import dev.slicer.planner.link.LinkSpec;
import dev.slicer.planner.split.Budgets;

/**
 * A class of edges planned together.
 *
 * @param name unique name, e.g. {@code jetson-orin-wifi}
 * @param budgets budgets the table is made for
 * @param link link-quality axis and buckets
 * @param computeScale device latency relative to the profiling device (2 = twice as slow); scales front latencies
 *     and encode times
 */
public record DeviceClass(String name, Budgets budgets, LinkSpec link, double computeScale) {
    public DeviceClass {
        require(name != null && !name.isBlank(), "device class needs a name");
        require(budgets != null, "device class " + name + " has no budgets");
        require(link != null, "device class " + name + " has no link spec");
        require(
                Double.isFinite(computeScale) && computeScale > 0,
                "compute scale of " + name + " must be finite and > 0, got " + computeScale);
    }

    public static DeviceClass of(String name, Budgets budgets) {
        return new DeviceClass(name, budgets, LinkSpec.defaultGoodput(), 1.0);
    }
}
