package io.walguard.compose;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.walguard.audit.BadInputException;
import java.nio.file.Path;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad input names the file, the line, the field and the fix; it never gets as far as a verdict. */
class ComposeBadInputTest {

  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      top level is a list | - web\\n- db | :1: the top level is a list, but a Compose file is a YAML mapping
      top level is a scalar | just text | :1: the top level is the string "just text", but a Compose file is a YAML mapping
      empty file | # nothing here | empty; a Compose file is a YAML mapping
      services is a list | services: [web, db] | :1: services is a list, but Compose expects a mapping of service names
      a service is a string | services:\\n  web: nginx | :2: services.web is the string "nginx", but Compose expects the service's definition
      a service is empty | services:\\n  web: | services.web is empty, but Compose expects the service's definition
      volumes is a list | services: {}\\nvolumes: [db] | :2: volumes is a list, but Compose expects a mapping of volume names
      a volume is a string | volumes:\\n  db: nfs | :2: volumes.db is the string "nfs", but Compose expects the volume's settings
      driver_opts is a list | volumes:\\n  db:\\n    driver_opts: [type=nfs] | :3: volumes.db.driver_opts is a list, but Compose expects a mapping of driver options
      an external volume with labels | services:\\n  web: {image: a, volumes: [db:/d]}\\nvolumes:\\n  db:\\n    external: true\\n    labels: {walguard.io/sqlite: "true"} | `:6: volumes.db.labels is set on a volume with external: true, which Docker Compose and docker stack deploy refuse (an external volume already exists, with its own labels); remove it, and mark the database and what backs it under x-walguard: {databases: [{volume: db, storage: local|network|fuse}]}`
      an external volume with a driver | volumes:\\n  db: {external: {name: prod_db}, driver: rclone} | :2: volumes.db.driver is set on a volume with external: true
      an external volume with driver_opts | volumes:\\n  db: {external: true, driver_opts: {type: nfs}} | volumes.db.driver_opts is set on a volume with external: true
      external is not a boolean | volumes:\\n  db: {external: maybe} | volumes.db.external is the string "maybe", but Compose expects true or false
      labels is a number | services:\\n  web: {image: a, labels: 5} | :2: services.web.labels is the number 5
      service volumes is a string | services:\\n  web:\\n    volumes: db:/data | :3: services.web.volumes is the string "db:/data", but Compose expects a list of mounts
      a mount is a number | services:\\n  web:\\n    volumes: [5] | services.web.volumes[0] is the number 5, but Compose expects a mount
      a mount has too many parts | services:\\n  web:\\n    volumes: ["a:b:c:d"] | "a:b:c:d" is not a mount
      a long mount without type | services:\\n  web:\\n    volumes:\\n      - {source: db, target: /d} | :4: services.web.volumes[0] has no type
      a long mount of an unknown type | services:\\n  web:\\n    volumes:\\n      - {type: disk, source: db, target: /d} | services.web.volumes[0].type is "disk", which Compose does not know
      a bind without source | services:\\n  web:\\n    volumes:\\n      - {type: bind, target: /d} | services.web.volumes[0].source is missing
      an undeclared volume | services:\\n  web:\\n    volumes: [dbx:/data] | :3: services.web.volumes[0] mounts volume "dbx", which is not declared
      volumes_from an unknown service | services:\\n  web: {image: a, volumes_from: [ghost]} | names service "ghost", which is not defined
      replicas is not a number | services:\\n  web:\\n    deploy: {replicas: two} | :3: services.web.deploy.replicas is the string "two", but Compose expects a whole number
      replicas is negative | services:\\n  web:\\n    deploy: {replicas: -1} | is negative
      scale and replicas disagree | services:\\n  web:\\n    scale: 2\\n    deploy: {replicas: 3} | :3: services.web.scale is 2 but deploy.replicas is 3
      an unknown deploy mode | services:\\n  web:\\n    deploy: {mode: daemon} | services.web.deploy.mode is "daemon"; use replicated or global
      deploy is a list | services:\\n  web:\\n    deploy: [global] | services.web.deploy is a list
      constraints is a mapping | services:\\n  web:\\n    deploy: {placement: {constraints: {node.role: manager}}} | services.web.deploy.placement.constraints is a mapping
      a constraint without operator | services:\\n  web:\\n    deploy:\\n      placement:\\n        constraints: [node.hostname] | :5: services.web.deploy.placement.constraints[0] "node.hostname" has no == or !=
      an unknown update order | services:\\n  web:\\n    deploy: {update_config: {order: random}} | update_config.order is "random"; use start-first or stop-first
      service label names an unmounted volume | services:\\n  web:\\n    image: a\\n    volumes: [db:/d, ./etc:/etc/app]\\n    labels: {walguard.io/sqlite: cache}\\nvolumes: {db: {}, cache: {}} | :5: services.web.labels has walguard.io/sqlite="cache", which service/web does not mount; name the mount that holds its database, as written in its volumes: db, ./etc
      service label says true with two mounts | services:\\n  web:\\n    volumes: [db:/d, ./etc:/etc/app]\\n    labels: {walguard.io/sqlite: "true"}\\nvolumes: {db: {}} | :4: services.web.labels has walguard.io/sqlite="true", but service/web mounts 2 (db, ./etc); on a service the label names the mount that holds its database (e.g. db or ./data)
      service label says true with no mount | services:\\n  web:\\n    deploy:\\n      labels: [walguard.io/sqlite=true] | :4: services.web.deploy.labels has walguard.io/sqlite="true", but service/web mounts no volume or directory; on a service the label names the mount
      volume label neither true nor false | volumes:\\n  db:\\n    labels: {walguard.io/sqlite: maybe} | :3: volumes.db.labels has walguard.io/sqlite="maybe"
      volume storage label is not a kind | services:\\n  web: {volumes: [db:/d]}\\nvolumes:\\n  db:\\n    labels: {walguard.io/sqlite: "true", walguard.io/storage: nfs} | volumes.db.labels has walguard.io/storage="nfs"; use local, network or fuse
      x-walguard is a list | x-walguard: [db] | x-walguard is a list, but Compose expects a mapping with databases:
      x-walguard has an unknown field | x-walguard: {database: []} | x-walguard.database is not a field walguard knows
      x-walguard database without volume | x-walguard:\\n  databases:\\n    - {file: app.db} | :3: x-walguard.databases[0].volume is missing
      x-walguard database with an unknown field | x-walguard:\\n  databases:\\n    - {volume: db, remedy: pin} | x-walguard.databases[0].remedy is not a field walguard knows
      x-walguard names no volume | services: {}\\nx-walguard:\\n  databases: [{volume: db}] | x-walguard.databases[0].volume is "db", which is not a volume under volumes:
      x-walguard names an unmounted bind | services: {}\\nx-walguard:\\n  databases: [{volume: ./db}] | is "./db", a host path that no service mounts
      x-walguard storage is not a kind | volumes: {db: {}}\\nx-walguard:\\n  databases: [{volume: db, storage: nfs}] | x-walguard.databases[0].storage is "nfs"; use local, network, fuse or auto
      x-walguard storage disagrees with itself | volumes: {db: {}}\\nx-walguard:\\n  databases: [{volume: db, storage: local}, {volume: db, storage: fuse}] | x-walguard.databases[1].storage says fuse, but x-walguard.databases[0].storage says local
      x-walguard file escapes the volume | volumes: {db: {}}\\nx-walguard:\\n  databases: [{volume: db, file: ../app.db}] | x-walguard.databases[0].file is "../app.db"
      an invalid project name | name: My App\\nservices: {} | :1: name is "My App", not a valid project name
      a required variable is missing | services:\\n  web: {image: "app:${TAG:?set TAG}"} | :2: required variable TAG is missing a value: set TAG
      an unclosed variable | services:\\n  web: {image: "app:${TAG"} | unclosed "${"
      a bad variable name | services:\\n  web: {image: "app:${1TAG}"} | invalid interpolation "${1TAG}"
      duplicate service | services:\\n  web: {}\\n  web: {} | :3: not valid YAML: found duplicate key web
      broken YAML | services:\\n  web: {image: [} | not valid YAML
      a second document is a list | services: {}\\n---\\n- web | :3: the top level is a list, but a Compose file is a YAML mapping
      """)
  void badInputNamesFileLineFieldAndFix(String name, String yaml, String message) throws Exception {
    Path file = ComposeFixture.write(dir, yaml.replace("\\n", "\n") + "\n");
    assertThatThrownBy(() -> ComposeFixture.audit(file, false))
        .isInstanceOf(BadInputException.class)
        .hasMessageStartingWith(file.toString())
        .hasMessageContaining(message);
  }

  @Test
  @Timeout(10)
  void aBillionLaughsComposeFileStopsTheAuditAtOnce() throws Exception {
    StringBuilder yaml = new StringBuilder("x-a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (int i = 1; i <= 9; i++) {
      yaml.append("x-a").append(i).append(": &a").append(i).append(" [")
          .append(String.join(", ", Collections.nCopies(10, "*a" + (i - 1)))).append("]\n");
    }
    yaml.append("services:\n  web: {image: app, labels: {x: 1}, environment: *a9}\n");
    Path file = ComposeFixture.write(dir, yaml.toString());
    assertThatThrownBy(() -> ComposeFixture.audit(file, false))
        .isInstanceOf(BadInputException.class)
        .hasMessage(file + ": its anchors and aliases expand to more than 1000000 values (a billion-laughs pattern);"
            + " a Compose file this large or this nested is generated or hostile; split it, or use fewer anchors");
  }
}
