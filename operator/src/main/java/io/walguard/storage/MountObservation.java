package io.walguard.storage;

/**
 * What a probe pod saw of the mounted volume, from {@code /proc/self/mountinfo} inside the pod.
 *
 * @param fstype the filesystem type, e.g. {@code nfs4}, {@code ext4}, {@code fuse.gcsfuse}
 * @param source the mount source, e.g. {@code fs-1234.efs.us-east-1.amazonaws.com:/}
 * @param options the mount and super options, comma separated, e.g. {@code rw,vers=4.1,local_lock=none}
 */
public record MountObservation(String fstype, String source, String options) {}
