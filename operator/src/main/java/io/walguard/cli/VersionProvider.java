package io.walguard.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports the version from the jar manifest (the Maven project version), "dev" when run from classes. */
public final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = Main.class.getPackage().getImplementationVersion();
    return new String[] {"walguard " + (version != null ? version : "dev")};
  }
}
