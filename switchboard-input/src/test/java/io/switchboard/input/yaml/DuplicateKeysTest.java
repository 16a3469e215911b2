package io.switchboard.input.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.switchboard.input.InputException;
import org.junit.jupiter.api.Test;

/** snakeyaml-engine's composer does not check for repeated keys, so {@link YamlValue#asMap()} does. */
class DuplicateKeysTest {

    @Test
    void aRepeatedKeyIsRefusedNamingBothLines() {
        YamlValue root = YamlDocument.parse("task.yaml", """
                title: first
                owner: someone
                title: second
                """).orElseThrow();

        InputException error = catchThrowableOfType(InputException.class, root::asMap);

        assertThat(error).hasMessage("task.yaml:3: title: key 'title' appears twice, at lines 1 and 3");
    }

    @Test
    void aRepeatedKeyInANestedMappingNamesItsPath() {
        YamlValue root = YamlDocument.parse("task.yaml", """
                meta:
                  tags: [a]
                  tags: [b]
                """).orElseThrow();

        InputException error = catchThrowableOfType(InputException.class, () -> root.asMap().get("meta").asMap());

        assertThat(error).hasMessage("task.yaml:3: meta.tags: key 'tags' appears twice, at lines 2 and 3");
    }

    @Test
    void theSameKeyInSiblingMappingsIsFine() {
        YamlValue root = YamlDocument.parse("task.yaml", """
                a: {name: x}
                b: {name: y}
                """).orElseThrow();

        assertThat(root.asMap().get("b").asMap().get("name").asString()).isEqualTo("y");
    }
}
