package dev.slicer.backend;

import io.quarkus.test.junit.QuarkusTestProfile;

/** Its own application instance: the drain test leaves it draining. */
public class DrainProfile implements QuarkusTestProfile {}
