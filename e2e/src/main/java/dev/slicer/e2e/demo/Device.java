package dev.slicer.e2e.demo;

/**
 * One emulated edge device: its node name, device class (with the class's memory budget from the resource) and the
 * uplink rate the demo's network emulation starts it with.
 */
public record Device(String name, String deviceClass, String memoryBudget, long linkBytesPerSecond) {}
