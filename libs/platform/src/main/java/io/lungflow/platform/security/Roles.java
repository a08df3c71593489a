package io.lungflow.platform.security;

import java.util.List;

/**
 * The roles of lungflow's users and machine clients. Every REST endpoint names the roles it
 * admits; reading is open to all four (each role also holds {@link #VIEWER}, see
 * {@link ViewerForEveryRole}).
 */
public final class Roles {

    /** A PACS, modality or gateway pushing scans. */
    public static final String PACS = "pacs";
    /** Reviews predictions and confirms labels. */
    public static final String RADIOLOGIST = "radiologist";
    /** Trains, promotes and rolls back model versions. */
    public static final String MLOPS = "mlops";
    /** Reads. */
    public static final String VIEWER = "viewer";

    public static final List<String> ALL = List.of(PACS, RADIOLOGIST, MLOPS, VIEWER);

    private Roles() {
    }
}
