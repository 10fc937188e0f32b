package io.walguard.apps;

import java.util.List;

/**
 * How one application uses SQLite, and how to tell it to stop using WAL.
 *
 * @param name the profile name used in {@code spec.app}, e.g. {@code grafana}
 * @param images image name fragments that identify the app in a pod template, e.g. {@code grafana/grafana}
 * @param forcesWal true when the app turns WAL back on at every open and has no switch: a journal cannot stick
 * @param env the environment variable that turns WAL off, or null
 * @param value the value for {@link #env} that means "rollback journal"
 * @param docs where the knob is documented
 */
public record AppProfile(String name, List<String> images, boolean forcesWal, String env, String value, String docs) {}
