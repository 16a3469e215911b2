package io.switchboard.core.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class TraitInferenceTest {

    @ParameterizedTest(name = "\"{0}\" is {1}")
    @CsvSource(delimiter = '|', textBlock = """
            Add prefix handling                 | IMPLEMENT | heuristic: title verb 'add'
            Fix typo in the README              | FIX       | heuristic: title verb 'fix'
            TASK-028: Review the auth module    | REVIEW    | heuristic: title verb 'review'
            Task 1: Create the login endpoint   | IMPLEMENT | heuristic: title verb 'create'
            [ABC-12] Refactor the store         | REFACTOR  | heuristic: title verb 'refactor'
            Redesign the dashboard              | DESIGN    | heuristic: title verb 'redesign'
            Testing the parser                  | TEST      | heuristic: title verb 'testing'
            Investigate slow startup            | RESEARCH  | heuristic: title verb 'investigate'
            Document the retry policy           | DOCS      | heuristic: title verb 'document'
            Ship version 2                      | DEPLOY    | heuristic: title verb 'ship'
            Audit dependency licences           | REVIEW    | heuristic: title verb 'audit'
            Prefix all cache keys               | GENERAL   | heuristic: no type word in title, tags or description
            Designate a code owner              | GENERAL   | heuristic: no type word in title, tags or description
            Debugger window layout              | GENERAL   | heuristic: no type word in title, tags or description
            Fixture cleanups                    | GENERAL   | heuristic: no type word in title, tags or description
            """)
    void typeComesFromTheTitlesLeadingVerbAsAWholeWord(String title, TaskType expected, String provenance) {
        Task task = TraitInference.complete(aDraft().titled(title).build());

        assertThat(task.traits().type()).isEqualTo(expected);
        assertThat(task.traits().provenance()).containsEntry("type", provenance);
    }

    @Test
    void theTasksOwnIdIsSkippedBeforeTheLeadingVerb() {
        Task task = TraitInference.complete(aDraft().withId("ops.7").titled("ops.7 - deploy the gateway").build());

        assertThat(task.traits().type()).isEqualTo(TaskType.DEPLOY);
        assertThat(task.traits().provenance()).containsEntry("type", "heuristic: title verb 'deploy'");
    }

    static Stream<Arguments> typeFallbacks() {
        return Stream.of(
                Arguments.of(aDraft().titled("Rate limiter").tagged("backend", "bugfix"),
                        TaskType.FIX, "heuristic: tag 'bugfix'"),
                Arguments.of(aDraft().titled("Rate limiter").tagged("code-review"),
                        TaskType.REVIEW, "heuristic: tag 'code-review'"),
                Arguments.of(aDraft().titled("Slow startup")
                                .withPrompt("Investigate why startup is slow and compare the two class loaders."),
                        TaskType.RESEARCH, "heuristic: description words for research: 'investigate' ×1, 'compare' ×1"),
                Arguments.of(aDraft().titled("The parser")
                                .withPrompt("Tests fail on Windows. The tests for paths need to be fixed."),
                        TaskType.TEST, "heuristic: description words for test: 'tests' ×2"),
                // One hit each: the type hit first wins.
                Arguments.of(aDraft().titled("Rate limiter").withPrompt("Implement it, with a test."),
                        TaskType.IMPLEMENT, "heuristic: description words for implement: 'implement' ×1"),
                // The title verb beats tags and description.
                Arguments.of(aDraft().titled("Review the rate limiter").tagged("bugfix")
                                .withPrompt("fix fix fix"),
                        TaskType.REVIEW, "heuristic: title verb 'review'"));
    }

    @ParameterizedTest
    @MethodSource("typeFallbacks")
    void typeFallsBackToTagsThenDescriptionWords(DraftSpec draft, TaskType expected, String provenance) {
        Task task = TraitInference.complete(draft.build());

        assertThat(task.traits().type()).isEqualTo(expected);
        assertThat(task.traits().provenance()).containsEntry("type", provenance);
    }

    @Test
    void aStatedTypeWinsAndSaysWhereItWasStated() {
        Task task = TraitInference.complete(aDraft().titled("Fix the login bug")
                .stating("type", TaskType.DESIGN, "Metadata, line 9").build());

        assertThat(task.traits().type()).isEqualTo(TaskType.DESIGN);
        assertThat(task.traits().provenance()).containsEntry("type", "stated (Metadata, line 9)");
    }

    @Test
    void aStatedTraitWithoutAPlaceNamesTheTasksSource() {
        DraftSpec spec = aDraft().titled("Fix it");
        spec.type = TaskType.REVIEW;

        Task task = TraitInference.complete(spec.build());

        assertThat(task.traits().provenance()).containsEntry("type", "stated (tasks/a.md:3)");
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', textBlock = """
            IMPLEMENT |             | implement   | heuristic: from type 'implement'
            REVIEW    |             | review      | heuristic: from type 'review'
            GENERAL   |             | general     | heuristic: from type 'general'
            REVIEW    | code-review | code-review | stated (line 4)
            """)
    void workTypeIsTheTypesNameUnlessStated(TaskType type, String stated, String expected, String provenance) {
        DraftSpec spec = aDraft().titled("Something").stating("type", type, "line 3");
        if (stated != null) {
            spec.stating("work_type", stated, "line 4");
        }

        Task task = TraitInference.complete(spec.build());

        assertThat(task.traits().workType()).isEqualTo(expected);
        assertThat(task.traits().provenance()).containsEntry("work_type", provenance);
    }

    static Stream<Arguments> complexities() {
        return Stream.of(
                Arguments.of(aDraft().titled("Fix typo"), 20, "heuristic: base 50, 'typo' -30 = 20"),
                Arguments.of(aDraft().titled("Implement a distributed lock with concurrency control"), 80,
                        "heuristic: base 50, 'distributed' +15, 'concurrency' +15 = 80"),
                Arguments.of(aDraft().titled("Add a simple, small helper"), 15,
                        "heuristic: base 50, 'simple' -20, 'small' -15 = 15"),
                Arguments.of(aDraft().titled("Complex").withPrompt("This is complex. Really complex."), 65,
                        "heuristic: base 50, 'complex' +15 = 65"),
                Arguments.of(aDraft().titled("Trivial typo fix").withPrompt("Simple and tiny."), 0,
                        "heuristic: base 50, 'trivial' -30, 'typo' -30, 'simple' -20, 'tiny' -20 = -50, clamped to 0"),
                Arguments.of(aDraft().titled("Rewrite the distributed consensus architecture")
                                .withPrompt("Complex concurrency, cryptography and a migration."), 100,
                        "heuristic: base 50, 'rewrite' +15, 'distributed' +15, 'consensus' +15, 'architecture' +15, "
                                + "'complex' +15, 'concurrency' +15, 'cryptography' +15, 'migration' +15 = 170, "
                                + "clamped to 100"),
                // Whole words only: "complexity" is not "complex", "simpler" is not "simple".
                Arguments.of(aDraft().titled("Measure complexity of simpler parsers"), 50,
                        "heuristic: base 50 = 50"),
                Arguments.of(aDraft().titled("Update handler").touching("core/A.java", "core/B.java", "input/C.java"),
                        61, "heuristic: base 50, 3 files +6, 2 modules +5 = 61"),
                Arguments.of(aDraft().titled("Update handler").tagged("security"), 60,
                        "heuristic: base 50, 'security' +10 = 60"),
                Arguments.of(aDraft().titled("Implement a distributed lock").stating("complexity", 30, "Metadata, line 7"),
                        30, "stated (Metadata, line 7)"));
    }

    @ParameterizedTest
    @MethodSource("complexities")
    void complexityStartsAtFiftyAndMovesWithWordsAndFiles(DraftSpec draft, int expected, String provenance) {
        Task task = TraitInference.complete(draft.build());

        assertThat(task.traits().complexity()).isEqualTo(expected);
        assertThat(task.traits().provenance()).containsEntry("complexity", provenance);
    }

    @Test
    void fixTypoIsALowComplexityFix() {
        Task task = TraitInference.complete(aDraft().titled("Fix typo").build());

        assertThat(task.traits().type()).isEqualTo(TaskType.FIX);
        assertThat(task.traits().complexity()).isLessThanOrEqualTo(30);
    }

    @Test
    void fileCountAndModuleCountPointsAreCapped() {
        List<String> files = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            files.add("module" + i + "/File.java");
        }
        Task task = TraitInference.complete(aDraft().titled("Update").touching(files.toArray(String[]::new)).build());

        assertThat(task.traits().provenance()).containsEntry("complexity",
                "heuristic: base 50, 12 files +15, 12 modules +15 = 80");
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', textBlock = """
            ''                                          | UNKNOWN      | heuristic: no files declared
            src/A.java                                  | SINGLE_FILE  | heuristic: 1 file
            src/A.java, src/A.java                      | SINGLE_FILE  | heuristic: 1 file
            src/A.java, ./src/b/B.java                  | MODULE       | heuristic: 2 files in 1 module 'src'
            pom.xml, README.md                          | MODULE       | heuristic: 2 files in 1 module '.'
            core/A.java, input/B.java, core/C.java      | MULTI_MODULE | heuristic: 3 files in 2 modules [core, input]
            pom.xml, core/A.java                        | MULTI_MODULE | heuristic: 2 files in 2 modules [., core]
            core\\A.java, core/B.java                   | MODULE       | heuristic: 2 files in 1 module 'core'
            """)
    void scopeComesFromTheDeclaredFiles(String files, Scope expected, String provenance) {
        String[] paths = files.isBlank() ? new String[0]
                : Arrays.stream(files.split(",")).map(String::strip).toArray(String[]::new);

        Task task = TraitInference.complete(aDraft().titled("Update").touching(paths).build());

        assertThat(task.traits().scope()).isEqualTo(expected);
        assertThat(task.traits().provenance()).containsEntry("scope", provenance);
    }

    @Test
    void aStatedScopeWins() {
        Task task = TraitInference.complete(aDraft().titled("Update").touching("a/B.java")
                .stating("scope", Scope.MULTI_MODULE, "line 6").build());

        assertThat(task.traits().scope()).isEqualTo(Scope.MULTI_MODULE);
        assertThat(task.traits().provenance()).containsEntry("scope", "stated (line 6)");
    }

    @ParameterizedTest(name = "priority {0}, tags {1}, title {2} → {3}")
    @CsvSource(delimiter = '|', textBlock = """
            High          |          | Update the parser              | HIGH   | heuristic: priority 'High'
            P1            |          | Update the parser              | HIGH   | heuristic: priority 'P1'
            P0 - critical |          | Update the parser              | HIGH   | heuristic: priority 'P0 - critical'
            urgent        |          | Update the parser              | HIGH   | heuristic: priority 'urgent'
            low           |          | Update the parser              | LOW    | heuristic: priority 'low'
            P3            |          | Update the parser              | LOW    | heuristic: priority 'P3'
            Low           |          | Rotate database credentials    | HIGH   | heuristic: word 'database'
                          | security | Update the parser              | HIGH   | heuristic: tag 'security'
                          | api      | Add payment retries            | HIGH   | heuristic: word 'payment'
                          |          | Review auth                    | HIGH   | heuristic: word 'auth'
                          |          | Update the author list         | MEDIUM | heuristic: no risky priority or subject, so medium
                          |          | Tidy productions of the grammar| MEDIUM | heuristic: no risky priority or subject, so medium
            medium        |          | Update the parser              | MEDIUM | heuristic: no risky priority or subject, so medium
            highlighted   |          | Update the parser              | MEDIUM | heuristic: no risky priority or subject, so medium
            """)
    void riskComesFromPriorityThenRiskySubjects(String priority, String tag, String title, Risk expected,
            String provenance) {
        DraftSpec spec = aDraft().titled(title);
        spec.priority = priority;
        if (tag != null) {
            spec.tagged(tag);
        }

        Task task = TraitInference.complete(spec.build());

        assertThat(task.traits().risk()).isEqualTo(expected);
        assertThat(task.traits().provenance()).containsEntry("risk", provenance);
    }

    @Test
    void aStatedRiskWins() {
        DraftSpec spec = aDraft().titled("Migrate the payments database").stating("risk", Risk.LOW, "Metadata, line 8");

        Task task = TraitInference.complete(spec.build());

        assertThat(task.traits().risk()).isEqualTo(Risk.LOW);
        assertThat(task.traits().provenance()).containsEntry("risk", "stated (Metadata, line 8)");
    }

    static Stream<Arguments> tokenEstimates() {
        return Stream.of(
                Arguments.of(aDraft().titled("Update").withPrompt("x".repeat(400)), 4_100L,
                        "heuristic: 4,000 base + 400 prompt characters / 4 + 0 files × 2,000 = 4,100"),
                Arguments.of(aDraft().titled("Update").withPrompt("x".repeat(4_000))
                                .touching("a/A.java", "a/B.java", "b/C.java"), 11_000L,
                        "heuristic: 4,000 base + 4,000 prompt characters / 4 + 3 files × 2,000 = 11,000"),
                Arguments.of(aDraft().titled("Update").withPrompt("x".repeat(40)).touching("a/A.java"), 6_010L,
                        "heuristic: 4,000 base + 40 prompt characters / 4 + 1 file × 2,000 = 6,010"),
                Arguments.of(aDraft().titled("Fix it!"), 4_001L,
                        "heuristic: 4,000 base + 7 prompt characters / 4 + 0 files × 2,000 = 4,001"),
                Arguments.of(aDraft().titled("Update").stating("estimated_tokens", 250_000L, "line 9"), 250_000L,
                        "stated (line 9)"));
    }

    @ParameterizedTest
    @MethodSource("tokenEstimates")
    void estimatedTokensCountPromptAndFiles(DraftSpec draft, long expected, String provenance) {
        Task task = TraitInference.complete(draft.build());

        assertThat(task.traits().estimatedTokens()).isEqualTo(expected);
        assertThat(task.traits().provenance()).containsEntry("estimated_tokens", provenance);
    }

    @ParameterizedTest(name = "{0} at complexity {1}: reasoning {2}, iteration {3}")
    @CsvSource(delimiter = '|', textBlock = """
            DESIGN    | 30 | true  | false | heuristic: type design                | heuristic: type design is not iterative work
            REVIEW    | 50 | true  | false | heuristic: type review                | heuristic: type review is not iterative work
            RESEARCH  | 10 | true  | false | heuristic: type research              | heuristic: type research is not iterative work
            IMPLEMENT | 69 | false | true  | heuristic: type implement and complexity 69 < 70 | heuristic: type implement and complexity 69 < 70
            IMPLEMENT | 70 | true  | false | heuristic: complexity 70 >= 70         | heuristic: complexity 70 >= 70
            FIX       | 20 | false | true  | heuristic: type fix and complexity 20 < 70 | heuristic: type fix and complexity 20 < 70
            REFACTOR  | 85 | true  | false | heuristic: complexity 85 >= 70         | heuristic: complexity 85 >= 70
            TEST      | 40 | false | true  | heuristic: type test and complexity 40 < 70 | heuristic: type test and complexity 40 < 70
            DOCS      | 40 | false | false | heuristic: type docs and complexity 40 < 70 | heuristic: type docs is not iterative work
            DEPLOY    | 75 | true  | false | heuristic: complexity 75 >= 70         | heuristic: type deploy is not iterative work
            GENERAL   | 50 | false | false | heuristic: type general and complexity 50 < 70 | heuristic: type general is not iterative work
            """)
    void reasoningAndIterationFollowTypeAndComplexity(TaskType type, int complexity, boolean reasoning,
            boolean iteration, String reasoningProvenance, String iterationProvenance) {
        Task task = TraitInference.complete(aDraft().titled("Something")
                .stating("type", type, "line 2").stating("complexity", complexity, "line 3").build());

        assertThat(task.traits().needsReasoning()).isEqualTo(reasoning);
        assertThat(task.traits().needsIteration()).isEqualTo(iteration);
        assertThat(task.traits().provenance())
                .containsEntry("needs_reasoning", reasoningProvenance)
                .containsEntry("needs_iteration", iterationProvenance);
    }

    @Test
    void statedReasoningAndIterationWin() {
        Task task = TraitInference.complete(aDraft().titled("Design the store")
                .stating("needs_reasoning", false, "Metadata, line 10")
                .stating("needs_iteration", true, "Metadata, line 11").build());

        assertThat(task.traits().needsReasoning()).isFalse();
        assertThat(task.traits().needsIteration()).isTrue();
        assertThat(task.traits().provenance())
                .containsEntry("needs_reasoning", "stated (Metadata, line 10)")
                .containsEntry("needs_iteration", "stated (Metadata, line 11)");
    }

    static Stream<Arguments> neededSkills() {
        return Stream.of(
                Arguments.of(aDraft().titled("Review the parser").tagged("Security", "java"),
                        List.of("review", "reasoning", "security", "java")),
                Arguments.of(aDraft().titled("Review the parser").stating("work_type", "Code Review", "line 3"),
                        List.of("code-review", "review", "reasoning")),
                Arguments.of(aDraft().titled("Add a small helper"), List.of("implement", "speed")),
                Arguments.of(aDraft().titled("Add a helper").tagged("speed", "rate_limiting")
                                .stating("estimated_tokens", 150_000L, "line 3"),
                        List.of("implement", "speed", "large-context", "rate-limiting")),
                Arguments.of(aDraft().titled("Tidy up").stating("type", TaskType.DOCS, "line 2"),
                        List.of("docs")));
    }

    @ParameterizedTest
    @MethodSource("neededSkills")
    void neededSkillsAreWorkTypeTypeTraitSkillsAndTags(DraftSpec draft, List<String> expected) {
        Task task = TraitInference.complete(draft.build());

        assertThat(task.traits().neededSkills()).containsExactlyElementsOf(expected);
    }

    @Test
    void everyTraitHasAProvenanceAndTheTaskKeepsItsDraft() {
        TaskDraft draft = aDraft().titled("Add a rate limiter").tagged("api").touching("api/Limiter.java").build();

        Task task = TraitInference.complete(draft);

        assertThat(task.traits().provenance().keySet())
                .containsExactlyInAnyOrderElementsOf(TaskTraits.TRAIT_NAMES);
        assertThat(task.traits().tags()).containsExactly("api");
        assertThat(task.draft()).isEqualTo(draft);
        assertThat(TraitInference.complete(draft)).isEqualTo(task);
    }

    @Test
    void anImpossibleStatedComplexityIsRefusedWithTheTaskId() {
        TaskDraft draft = aDraft().titled("Update").stating("complexity", 140, "line 3").build();

        assertThatThrownBy(() -> TraitInference.complete(draft))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("task T-1: complexity must be 0 to 100, was 140");
    }

    @Test
    void theTypeTablesNameEveryTypeButGeneralAndShareNoWord() {
        assertThat(TraitInference.TYPE_WORDS.keySet())
                .containsExactlyInAnyOrder(Arrays.stream(TaskType.values())
                        .filter(type -> type != TaskType.GENERAL).toArray(TaskType[]::new));
        List<String> all = TraitInference.TYPE_WORDS.values().stream().flatMap(List::stream).toList();
        assertThat(new LinkedHashSet<>(all)).hasSameSizeAs(all);
        for (TaskType type : TraitInference.TYPE_WORDS.keySet()) {
            assertThat(TraitInference.TYPE_WORDS.get(type)).as("words of %s", type).contains(type.configName());
        }
    }

    @ParameterizedTest(name = "\"{0}\" → {1}")
    @CsvSource(delimiter = '|', textBlock = """
            TASK-028: Add a limiter   | add
            Task 12: Fix the cache    | fix
            [OPS-3] Deploy            | deploy
            PROJ_7: review            | review
            Add 2 endpoints           | add
            ''                        |
            """)
    void leadingWordSkipsAnIdPrefix(String title, String expected) {
        assertThat(TraitInference.leadingWord(title, "X-1")).isEqualTo(expected);
    }

    // ---- drafts ----

    static DraftSpec aDraft() {
        return new DraftSpec();
    }

    /** A draft stating only what a test sets. */
    static final class DraftSpec {
        String id = "T-1";
        String title = "";
        String prompt = "";
        TaskType type;
        String workType;
        Integer complexity;
        Scope scope;
        Risk risk;
        Long estimatedTokens;
        Boolean needsReasoning;
        Boolean needsIteration;
        String priority;
        final List<String> tags = new ArrayList<>();
        final List<String> files = new ArrayList<>();
        final Map<String, String> statedAt = new HashMap<>();

        DraftSpec withId(String value) {
            id = value;
            return this;
        }

        DraftSpec titled(String value) {
            title = value;
            return this;
        }

        DraftSpec withPrompt(String value) {
            prompt = value;
            return this;
        }

        DraftSpec tagged(String... values) {
            tags.addAll(List.of(values));
            return this;
        }

        DraftSpec touching(String... values) {
            files.addAll(List.of(values));
            return this;
        }

        DraftSpec stating(String trait, Object value, String where) {
            switch (trait) {
                case "type" -> type = (TaskType) value;
                case "work_type" -> workType = (String) value;
                case "complexity" -> complexity = (Integer) value;
                case "scope" -> scope = (Scope) value;
                case "risk" -> risk = (Risk) value;
                case "estimated_tokens" -> estimatedTokens = (Long) value;
                case "needs_reasoning" -> needsReasoning = (Boolean) value;
                case "needs_iteration" -> needsIteration = (Boolean) value;
                default -> throw new IllegalArgumentException(trait);
            }
            statedAt.put(trait, where);
            return this;
        }

        TaskDraft build() {
            return new TaskDraft(id, title, prompt, type, workType, complexity, scope, risk, estimatedTokens,
                    needsReasoning, needsIteration, priority, tags, null, null, null, null, null, List.of(), files,
                    null, null, null, statedAt, new TaskSource("tasks/a.md", 3));
        }

        @Override
        public String toString() {
            return "'" + title + "'" + (tags.isEmpty() ? "" : " tagged " + tags)
                    + (files.isEmpty() ? "" : " touching " + files);
        }
    }
}
