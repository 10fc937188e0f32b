package io.walguard.compose;

import static org.assertj.core.api.Assertions.assertThat;

import io.walguard.audit.AuditEntry;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every placement rule of DESIGN.md section 10, through the whole audit: services in, verdict and action out. */
class ServicePlacementTest {

  private static final String NFS = "{driver_opts: {type: nfs4, o: 'addr=10.0.0.5', device: ':/db'}}";
  private static final String NFS_NOLOCK = "{driver_opts: {type: nfs, o: 'addr=10.0.0.5,nolock', device: ':/db'}}";

  @TempDir Path dir;

  private static Arguments plain(String name, String services, String verdict, String action, String reason) {
    return Arguments.of(name, false, services, NFS, verdict, action, reason);
  }

  private static Arguments swarm(String name, String services, String verdict, String action, String reason) {
    return Arguments.of(name, true, services, NFS, verdict, action, reason);
  }

  static Stream<Arguments> placements() {
    return Stream.of(
        // Plain Compose: one Docker host, one kernel, whatever backs the volume.
        plain("one service", "web: {image: app, volumes: [db:/d]}", "safe", "none",
            "docker compose runs service/web on one Docker host"),
        plain("two services", "web: {image: app, volumes: [db:/d]}\n  admin: {image: app, volumes: [db:/d]}",
            "safe", "none", "stops being true once they run on more than one host"),
        plain("replicas alone are not Swarm", "web: {image: app, volumes: [db:/d], deploy: {replicas: 3}}",
            "safe", "none", "service/web: 3 containers (deploy.replicas: 3), all on that one host; if this file is"
                + " deployed with docker stack deploy, they can run on 3 nodes: audit it with --swarm"),
        plain("scale alone is not Swarm", "web: {image: app, volumes: [db:/d], scale: 2}", "safe", "none",
            "service/web: 2 containers (scale: 2)"),
        plain("global mode makes a Swarm stack", "agent: {image: app, volumes: [db:/d], deploy: {mode: global}}",
            "unsafe", "journal", "service/agent: deploy.mode global runs a task on every node of the swarm"),
        plain("placement makes a Swarm stack",
            "web: {image: app, volumes: [db:/d], deploy: {replicas: 2, placement: {constraints: [node.role == worker]}}}",
            "unsafe", "pin", "service/web: 2 replicas (deploy.replicas: 2) can run on 2 different nodes"),
        plain("placement preferences alone make a Swarm stack",
            "web: {image: app, volumes: [db:/d], scale: 2, deploy: {placement: {preferences: [{spread: node.labels.az}]}}}",
            "unsafe", "pin", "2 replicas (scale: 2)"),
        plain("an overlay network makes a Swarm stack",
            "web: {image: app, volumes: [db:/d], deploy: {replicas: 2}}\nnetworks: {default: {}, mesh: {driver: overlay}}",
            "unsafe", "pin", "read as a Swarm stack, where services can run on several nodes: networks.mesh has driver"
                + " overlay, a network that spans Swarm nodes"),
        plain("another network driver does not", "web: {image: app, volumes: [db:/d], deploy: {replicas: 2}}\n"
            + "networks: {front: {driver: bridge}, back: {external: true}}", "safe", "none", "all on that one host"),
        plain("update_config makes a Swarm stack",
            "web: {image: app, volumes: [db:/d], deploy: {replicas: 2, update_config: {parallelism: 1}}}",
            "unsafe", "pin", "services.web.deploy.update_config is set, which only docker stack deploy acts on"),
        plain("rollback_config makes a Swarm stack",
            "web: {image: app, volumes: [db:/d]}\n  worker: {image: app, deploy: {rollback_config: {order: stop-first}}}",
            "safe", "none", "services.worker.deploy.rollback_config is set"),
        plain("a placement elsewhere in the file makes it a Swarm stack",
            "web: {image: app, volumes: [db:/d], deploy: {replicas: 2}}\n"
                + "  proxy: {image: traefik, deploy: {placement: {constraints: [node.role == manager]}}}",
            "unsafe", "pin", "2 replicas"),
        // Swarm: replicas, global, start-first, sharing; and constraints that hold them to one node.
        swarm("one replica", "web: {image: app, volumes: [db:/d]}", "safe", "none",
            "service/web: one task at a time (1 replica, updates stop the old task before starting the new one)"),
        swarm("the flag says why it is a stack", "web: {image: app, volumes: [db:/d]}", "safe", "none",
            "read as a Swarm stack, where services can run on several nodes: --swarm was given"),
        swarm("replicas", "web: {image: app, volumes: [db:/d], deploy: {replicas: 2}}", "unsafe", "pin",
            "fix: pin every service to one node with a placement constraint (node.hostname == X)"),
        swarm("scale counts as replicas", "web: {image: app, volumes: [db:/d], scale: 3}", "unsafe", "pin",
            "3 replicas (scale: 3)"),
        swarm("replicas pinned by hostname",
            "web: {image: app, volumes: [db:/d], deploy: {replicas: 3, placement: {constraints: ['node.hostname == a']}}}",
            "safe", "none", "service/web: the placement constraint node.hostname == a keeps its tasks on that one node"),
        swarm("replicas pinned by node id",
            "web: {image: app, volumes: [db:/d], deploy: {replicas: 3, placement: {constraints: ['node.id==x1y2']}}}",
            "safe", "none", "node.id == x1y2"),
        swarm("replicas pinned by one node address",
            "web: {image: app, volumes: [db:/d], deploy: {replicas: 2, placement: {constraints: ['node.ip == 10.1.2.3']}}}",
            "safe", "none", "node.ip == 10.1.2.3"),
        swarm("an address range does not pin",
            "web: {image: app, volumes: [db:/d], deploy: {replicas: 2, placement: {constraints: ['node.ip == 10.1.0.0/16']}}}",
            "unsafe", "pin", "no placement constraint keeps them on one"),
        swarm("a != constraint does not pin",
            "web: {image: app, volumes: [db:/d], deploy: {replicas: 2, placement: {constraints: ['node.hostname != a']}}}",
            "unsafe", "pin", "2 replicas"),
        swarm("a label constraint does not pin",
            "web: {image: app, volumes: [db:/d], deploy: {replicas: 2, placement: {constraints: [node.labels.db == true]}}}",
            "unsafe", "pin", "2 replicas"),
        swarm("two services on the same node",
            "web: {image: app, volumes: [db:/d], deploy: {placement: {constraints: ['node.hostname == a']}}}\n"
                + "  admin: {image: app, volumes: [db:/d], deploy: {placement: {constraints: ['Node.Hostname==A']}}}",
            "safe", "none", "service/admin and service/web are all constrained to node.hostname == A: one node"),
        swarm("two services on different nodes",
            "web: {image: app, volumes: [db:/d], deploy: {placement: {constraints: ['node.hostname == a']}}}\n"
                + "  admin: {image: app, volumes: [db:/d], deploy: {placement: {constraints: ['node.hostname == b']}}}",
            "unsafe", "pin", "service/admin and service/web share volume db, and no placement constraint keeps them"
                + " on the same node"),
        swarm("two services, one pinned",
            "web: {image: app, volumes: [db:/d], deploy: {placement: {constraints: ['node.hostname == a']}}}\n"
                + "  admin: {image: app, volumes: [db:/d]}",
            "unsafe", "pin", "share volume db"),
        swarm("two services pinned by hostname and by id cannot be proven together",
            "web: {image: app, volumes: [db:/d], deploy: {placement: {constraints: ['node.hostname == a']}}}\n"
                + "  admin: {image: app, volumes: [db:/d], deploy: {placement: {constraints: ['node.id == a']}}}",
            "unsafe", "pin", "share volume db"),
        swarm("two single-replica services unpinned",
            "web: {image: app, volumes: [db:/d]}\n  admin: {image: app, volumes: [db:/d]}", "unsafe", "pin",
            "share volume db"),
        swarm("global cannot be pinned, so the journal",
            "agent: {image: app, volumes: [db:/d], deploy: {mode: global}}", "unsafe", "journal",
            "fix: service/agent cannot be pinned to one node, so set the application to a rollback journal"),
        swarm("global-job like global", "agent: {image: app, volumes: [db:/d], deploy: {mode: global-job}}",
            "unsafe", "journal", "deploy.mode global-job runs a task on every node"),
        swarm("global held to one node", "agent: {image: app, volumes: [db:/d], deploy: {mode: global, placement:"
                + " {constraints: ['node.hostname == a']}}}", "safe", "none",
            "deploy.mode global, held to one node by the placement constraint node.hostname == a"),
        swarm("a global service held to a node lets the others be pinned there",
            "agent: {image: app, volumes: [db:/d], deploy: {mode: global, placement: {constraints: ['node.hostname == a']}}}"
                + "\n  web: {image: app, volumes: [db:/d]}",
            "unsafe", "pin", "fix: pin every service to one node"),
        swarm("global next to a replicated service",
            "agent: {image: app, volumes: [db:/d], deploy: {mode: global}}\n  web: {image: app, volumes: [db:/d]}",
            "unsafe", "journal", "service/agent cannot be pinned"),
        swarm("start-first updates overlap",
            "web: {image: app, volumes: [db:/d], deploy: {update_config: {order: start-first}}}", "unsafe", "pin",
            "service/web: update_config order start-first starts the new task before the old one stops"),
        swarm("start-first rollbacks overlap",
            "web: {image: app, volumes: [db:/d], deploy: {rollback_config: {order: start-first}}}", "unsafe", "pin",
            "rollback_config order start-first"),
        swarm("stop-first updates do not",
            "web: {image: app, volumes: [db:/d], deploy: {update_config: {order: stop-first}}}", "safe", "none",
            "one task at a time"),
        swarm("start-first on a pinned service stays on its node",
            "web: {image: app, volumes: [db:/d], deploy: {update_config: {order: start-first}, placement:"
                + " {constraints: ['node.hostname == a']}}}", "safe", "none", "node.hostname == a"),
        swarm("no service mounts it", "web: {image: app}", "safe", "none",
            "storage network (volume db: driver_opts type nfs4 (addr=10.0.0.5), an NFS share): no opener is known yet"),
        // The volume and the app change the remedy, not the placement.
        Arguments.of("node-local locks: pin, even where the journal would otherwise do", true,
            "web: {image: app, volumes: [db:/d], deploy: {replicas: 2}}", NFS_NOLOCK, "unsafe", "pin",
            "fix: pin every service"),
        Arguments.of("node-local locks and a global service: nothing to change", true,
            "agent: {image: app, volumes: [db:/d], deploy: {mode: global}}", NFS_NOLOCK, "unsafe", "observe",
            "locks on this volume are node-local (volume db: driver_opts o nolock)"),
        Arguments.of("an app that forces WAL and a global service", true,
            "agent: {image: 'louislam/uptime-kuma:1', volumes: [db:/d], deploy: {mode: global}}", NFS, "unsafe",
            "observe", "app uptime-kuma switches WAL back on at every start"),
        Arguments.of("an app with a journal switch names it", true,
            "agent: {image: 'grafana/grafana:11.0.0', volumes: [db:/d], deploy: {mode: global}}", NFS, "unsafe",
            "journal", "service/agent runs grafana: set GF_DATABASE_WAL=false in its environment"),
        Arguments.of("fuse stays unsafe on one host", false, "web: {image: app, volumes: [db:/d]}", "{driver: rclone}",
            "unsafe", "observe", "FUSE does not give SQLite trustworthy POSIX locks"),
        Arguments.of("local is safe across a swarm", true,
            "web: {image: app, volumes: [db:/d], deploy: {replicas: 4}}", "{}", "safe", "none",
            "one kernel at a time"),
        Arguments.of("external is unknown and says how to resolve it", true,
            "web: {image: app, volumes: [db:/d], deploy: {replicas: 2}}", "{external: true}", "unknown", "observe",
            "walguard cannot tell what backs this volume; set storage: local|network|fuse for it under x-walguard"));
  }

  static Stream<Arguments> localStorageInASwarm() {
    String split = "volume db uses Docker's local driver, which creates it separately on each node that runs a task:"
        + " in this Swarm stack service/web can run on several nodes, each with its own volume db, so the data splits"
        + " between nodes; to keep one database, hold it to one node with a placement constraint (node.hostname == X)";
    return Stream.of(
        Arguments.of("replicas of a local volume split the data", true, "{}", "{replicas: 2}", split),
        Arguments.of("global mode splits it too", true, "{driver: local}", "{mode: global}", split),
        Arguments.of("one task keeps one volume", true, "{}", "{replicas: 1}", null),
        Arguments.of("plain Compose keeps one volume on its host", false, "{}", "{replicas: 2}", null),
        Arguments.of("pinned replicas share the node's volume", true, "{}",
            "{replicas: 2, placement: {constraints: [node.hostname == a]}}", null),
        Arguments.of("a block device plugin is one volume that moves", true, "{driver: rexray/ebs}", "{replicas: 2}",
            null),
        Arguments.of("a bound device may be a share on every node", true,
            "{driver_opts: {type: none, o: bind, device: /mnt/db}}", "{replicas: 2}",
            split + " (or, if device /mnt/db is a network share mounted on every node, set storage: network for it in"
                + " x-walguard)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("localStorageInASwarm")
  void localStorageOnSeveralNodesIsSafeButSaysTheDataSplits(String name, boolean swarmFlag, String volume,
      String deploy, String split) throws Exception {
    Path file = ComposeFixture.write(dir, """
        services:
          web: {image: app, volumes: [db:/d], deploy: %s}
        volumes:
          db: %s
        x-walguard:
          databases: [{volume: db}]
        """.formatted(deploy, volume));
    AuditEntry entry = ComposeFixture.only(file, swarmFlag);
    assertThat(entry.verdict()).isEqualTo("safe");
    assertThat(entry.action()).isEqualTo("none");
    if (split == null) {
      assertThat(entry.reasons()).noneSatisfy(r -> assertThat(r).contains("splits"));
    } else {
      assertThat(entry.reasons()).contains(split);
    }
  }

  @Test
  void aBindMountOnSeveralSwarmNodesIsOneDirectoryPerNode() throws Exception {
    Path file = ComposeFixture.write(dir, """
        services:
          web: {image: app, volumes: [./data:/d], labels: {walguard.io/sqlite: ./data}}
          admin: {image: app, volumes: [./data:/d]}
        """);
    AuditEntry entry = ComposeFixture.only(file, true);
    assertThat(entry.verdict()).isEqualTo("safe");
    assertThat(entry.reasons()).contains("bind mount ./data is a directory of each node: in this Swarm stack"
        + " service/admin, service/web can run on several nodes, each writing its own copy of the database there, so"
        + " the data splits between nodes; to keep one database, hold them to one node with a placement constraint"
        + " (node.hostname == X) (or, if that directory is a network share mounted on every node, set storage: network"
        + " for it in x-walguard)");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("placements")
  void decidesFromWhereTheServicesCanRun(String name, boolean swarmFlag, String services, String volume,
      String verdict, String action, String reason) throws Exception {
    Path file = ComposeFixture.write(dir, """
        services:
          %s
        volumes:
          db:
            <<: %s
        x-walguard:
          databases: [{volume: db}]
        """.formatted(services, volume));
    AuditEntry entry = ComposeFixture.only(file, swarmFlag);
    assertThat(entry.reasons()).anySatisfy(r -> assertThat(r).contains(reason));
    assertThat(entry.verdict()).as("verdict, reasons %s", entry.reasons()).isEqualTo(verdict);
    assertThat(entry.action()).as("action, reasons %s", entry.reasons()).isEqualTo(action);
  }
}
