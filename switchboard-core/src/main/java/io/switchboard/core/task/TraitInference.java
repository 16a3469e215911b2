package io.switchboard.core.task;

import static io.switchboard.core.Require.require;

import io.switchboard.core.agent.Skills;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills in the traits a task's source does not state, by documented heuristics on whole words, and records
 * for every trait how it was set.
 *
 * <h2>Words</h2>
 * Text is split into words at every character that is not a letter or a digit, and lower-cased. A word
 * matches a table only when it equals an entry: {@code prefix} is not {@code fix}, {@code redesign} is
 * {@code design} only because the table lists it, and {@code testing} is a test word only because the table
 * lists it. Inflected forms are matched only when the tables list them.
 *
 * <h2>Rules, trait by trait</h2>
 * A trait the draft states always wins; its provenance is {@code stated (<where>)}, where is the draft's
 * {@link TaskDraft#statedAt()} entry for the trait, or the task's source. Otherwise:
 * <ul>
 *   <li><b>type</b>: the first that applies of (1) the title's leading word, after an id prefix such as
 *       {@code TASK-028:}, {@code Task 1:} or {@code [ABC-12]}, looked up in {@link #TYPE_WORDS}; (2) the first
 *       tag with a word in {@link #TYPE_WORDS}; (3) the type with the most {@link #TYPE_WORDS} hits among the
 *       words of the title, tags and prompt (a tie goes to the type hit first); (4) {@link TaskType#GENERAL}.
 *   <li><b>work_type</b>: the type's config name ({@code implement}, {@code review}, …).
 *   <li><b>complexity</b>: {@value #BASE_COMPLEXITY}, plus the points of every distinct word of the title,
 *       tags and prompt found in {@link #COMPLEXITY_WORDS}, plus {@value #POINTS_PER_EXTRA_FILE} per declared
 *       file beyond the first (at most {@value #MAX_FILE_POINTS}), plus {@value #POINTS_PER_EXTRA_MODULE} per
 *       module beyond the first (at most {@value #MAX_MODULE_POINTS}); clamped to 0–100. Negation is not
 *       understood: "not complex" still counts "complex".
 *   <li><b>scope</b>: from the declared files: none → {@link Scope#UNKNOWN}, one → {@link Scope#SINGLE_FILE},
 *       several whose paths share the first segment (the module) → {@link Scope#MODULE}, several modules →
 *       {@link Scope#MULTI_MODULE}. A file at the top level belongs to the module {@code .}.
 *   <li><b>risk</b>: the first that applies of (1) a priority word in {@link #HIGH_RISK_PRIORITIES} →
 *       {@link Risk#HIGH}; (2) a tag, then a word of the title or prompt, in {@link #HIGH_RISK_WORDS} →
 *       {@link Risk#HIGH}; (3) a priority word in {@link #LOW_RISK_PRIORITIES} → {@link Risk#LOW};
 *       (4) {@link Risk#MEDIUM}. A risky subject outranks a low priority: urgency is not the cost of a mistake.
 *   <li><b>estimated_tokens</b>: {@value #BASE_TOKENS} + prompt characters ÷ {@value #CHARS_PER_TOKEN} +
 *       {@value #TOKENS_PER_FILE} per declared file (the title stands in for an empty prompt).
 *   <li><b>needs_reasoning</b>: the type is in {@link #REASONING_TYPES}, or complexity ≥
 *       {@value #REASONING_COMPLEXITY}.
 *   <li><b>needs_iteration</b>: the type is in {@link #ITERATION_TYPES} and complexity &lt;
 *       {@value #REASONING_COMPLEXITY}.
 * </ul>
 * The rules that read other traits (work type, needs_reasoning, needs_iteration) read their resolved values,
 * stated or inferred.
 *
 * <h2>Needed skills</h2>
 * {@link TaskTraits#neededSkills()} lists, normalized by {@link Skills#normalize} and without repeats: the
 * work type, the type's config name, {@code reasoning} if the task needs reasoning, {@code speed} if it needs
 * iteration, {@code large-context} if its estimated tokens exceed {@value #LARGE_CONTEXT_TOKENS}, then the
 * tags.
 *
 * <p>Pure: no I/O, no clock; the same draft always gives the same task.
 */
public final class TraitInference {

    /**
     * Words that name each task type: verbs in the forms a title or description uses, and the nouns that tags
     * use. No word appears under two types. Generic verbs ({@code update}, {@code change}, {@code make},
     * {@code handle}, {@code write}) are left out on purpose: their object decides the type, so such a task
     * falls through to its tags and description.
     */
    public static final Map<TaskType, List<String>> TYPE_WORDS = typeWords();

    /** Complexity before any adjustment. */
    public static final int BASE_COMPLEXITY = 50;

    /** Points each word adds to (or takes from) the complexity, counted once per task however often it occurs. */
    public static final Map<String, Integer> COMPLEXITY_WORDS = complexityWords();

    public static final int POINTS_PER_EXTRA_FILE = 3;
    public static final int MAX_FILE_POINTS = 15;
    public static final int POINTS_PER_EXTRA_MODULE = 5;
    public static final int MAX_MODULE_POINTS = 15;

    /** Priority words that make a task high risk. */
    public static final Set<String> HIGH_RISK_PRIORITIES =
            Set.of("critical", "urgent", "blocker", "highest", "high", "p0", "p1");

    /** Priority words that make a task low risk, unless a risky subject says otherwise. */
    public static final Set<String> LOW_RISK_PRIORITIES = Set.of("low", "lowest", "trivial", "minor", "p3", "p4");

    /** Subjects where a mistake is expensive; as a tag or a word of the title or prompt they make a task high risk. */
    public static final Set<String> HIGH_RISK_WORDS = Set.of(
            "security", "auth", "authentication", "authorization", "oauth", "credential", "credentials",
            "secret", "secrets", "password", "passwords", "encryption", "pii",
            "payment", "payments", "billing",
            "production", "prod",
            "migration", "migrations", "database", "databases", "schema");

    public static final long BASE_TOKENS = 4_000;
    public static final long TOKENS_PER_FILE = 2_000;
    public static final int CHARS_PER_TOKEN = 4;
    /** Above this many estimated tokens a task needs the {@code large-context} skill. */
    public static final long LARGE_CONTEXT_TOKENS = 100_000;

    /** From this complexity on a task needs reasoning, and no longer counts as quick iteration. */
    public static final int REASONING_COMPLEXITY = 70;

    public static final Set<TaskType> REASONING_TYPES = Set.of(TaskType.DESIGN, TaskType.REVIEW, TaskType.RESEARCH);

    public static final Set<TaskType> ITERATION_TYPES =
            Set.of(TaskType.IMPLEMENT, TaskType.FIX, TaskType.REFACTOR, TaskType.TEST);

    private static final Map<String, TaskType> TYPE_BY_WORD = typeByWord();

    /**
     * An id before the title's first word: {@code [ABC-12]}, or letters, an optional separator and a number
     * followed by a colon ({@code TASK-028:}, {@code Task 1:}, {@code PROJ_7:}).
     */
    private static final Pattern ID_PREFIX =
            Pattern.compile("\\s*(?:\\[[^\\]]*\\]|[A-Za-z]+[-_ #]?\\d[\\w.-]*\\s*:)\\s*");

    private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");

    private TraitInference() {
    }

    /**
     * Resolves every trait of the draft.
     *
     * @throws IllegalArgumentException when a stated value is impossible (complexity outside 0–100, negative
     *     tokens, a blank work type)
     */
    public static Task complete(TaskDraft draft) {
        Map<String, String> provenance = new LinkedHashMap<>();
        Text text = Text.of(draft);

        Resolved<TaskType> type = draft.type() != null
                ? stated(draft, "type", draft.type())
                : inferType(draft, text);
        provenance.put("type", type.provenance());

        Resolved<String> workType = draft.workType() != null
                ? stated(draft, "work_type", draft.workType())
                : new Resolved<>(type.value().configName(), "heuristic: from type '" + type.value().configName() + "'");
        require(!workType.value().isBlank(), "task %s: work type must not be blank", draft.id());
        provenance.put("work_type", workType.provenance());

        Resolved<Integer> complexity = draft.complexity() != null
                ? stated(draft, "complexity", draft.complexity())
                : inferComplexity(draft, text);
        require(complexity.value() >= 0 && complexity.value() <= 100,
                "task %s: complexity must be 0 to 100, was %s", draft.id(), complexity.value());
        provenance.put("complexity", complexity.provenance());

        Resolved<Scope> scope = draft.scope() != null
                ? stated(draft, "scope", draft.scope())
                : inferScope(draft.files());
        provenance.put("scope", scope.provenance());

        Resolved<Risk> risk = draft.risk() != null
                ? stated(draft, "risk", draft.risk())
                : inferRisk(draft, text);
        provenance.put("risk", risk.provenance());

        Resolved<Long> tokens = draft.estimatedTokens() != null
                ? stated(draft, "estimated_tokens", draft.estimatedTokens())
                : inferTokens(draft);
        require(tokens.value() >= 0, "task %s: estimated tokens must be zero or more, was %s", draft.id(),
                tokens.value());
        provenance.put("estimated_tokens", tokens.provenance());

        Resolved<Boolean> reasoning = draft.needsReasoning() != null
                ? stated(draft, "needs_reasoning", draft.needsReasoning())
                : inferReasoning(type.value(), complexity.value());
        provenance.put("needs_reasoning", reasoning.provenance());

        Resolved<Boolean> iteration = draft.needsIteration() != null
                ? stated(draft, "needs_iteration", draft.needsIteration())
                : inferIteration(type.value(), complexity.value());
        provenance.put("needs_iteration", iteration.provenance());

        List<String> skills = neededSkills(workType.value(), type.value(), reasoning.value(), iteration.value(),
                tokens.value(), draft.tags());
        TaskTraits traits = new TaskTraits(type.value(), workType.value(), complexity.value(), scope.value(),
                risk.value(), tokens.value(), reasoning.value(), iteration.value(), draft.tags(), skills, provenance);
        return new Task(draft, traits);
    }

    // ---- type ----

    private static Resolved<TaskType> inferType(TaskDraft draft, Text text) {
        String verb = leadingWord(draft.title(), draft.id());
        if (verb != null && TYPE_BY_WORD.containsKey(verb)) {
            return new Resolved<>(TYPE_BY_WORD.get(verb), "heuristic: title verb '" + verb + "'");
        }
        for (String tag : draft.tags()) {
            for (String word : words(tag)) {
                TaskType type = TYPE_BY_WORD.get(word);
                if (type != null) {
                    return new Resolved<>(type, "heuristic: tag '" + tag + "'");
                }
            }
        }
        // Hits per type, and per word within the type, in order of first occurrence.
        Map<TaskType, Map<String, Integer>> hits = new LinkedHashMap<>();
        for (String word : text.all()) {
            TaskType type = TYPE_BY_WORD.get(word);
            if (type != null) {
                hits.computeIfAbsent(type, t -> new LinkedHashMap<>()).merge(word, 1, Integer::sum);
            }
        }
        TaskType best = null;
        int bestCount = 0;
        for (Map.Entry<TaskType, Map<String, Integer>> entry : hits.entrySet()) {
            int count = entry.getValue().values().stream().mapToInt(Integer::intValue).sum();
            if (count > bestCount) {
                best = entry.getKey();
                bestCount = count;
            }
        }
        if (best == null) {
            return new Resolved<>(TaskType.GENERAL, "heuristic: no type word in title, tags or description");
        }
        StringJoiner evidence = new StringJoiner(", ");
        hits.get(best).forEach((word, count) -> evidence.add("'" + word + "' ×" + count));
        return new Resolved<>(best, "heuristic: description words for " + best.configName() + ": " + evidence);
    }

    /** The title's first word after an id prefix, or {@code null} when the title has no words. */
    static String leadingWord(String title, String id) {
        String rest = title.strip();
        if (!id.isEmpty() && rest.regionMatches(true, 0, id, 0, id.length())
                && (rest.length() == id.length() || !Character.isLetterOrDigit(rest.charAt(id.length())))) {
            rest = rest.substring(id.length());
        } else {
            Matcher prefix = ID_PREFIX.matcher(rest);
            if (prefix.lookingAt()) {
                rest = rest.substring(prefix.end());
            }
        }
        List<String> words = words(rest);
        return words.isEmpty() ? null : words.get(0);
    }

    // ---- complexity ----

    private static Resolved<Integer> inferComplexity(TaskDraft draft, Text text) {
        int total = BASE_COMPLEXITY;
        StringJoiner reasons = new StringJoiner(", ");
        reasons.add("base " + BASE_COMPLEXITY);
        for (String word : new LinkedHashSet<>(text.all())) {
            Integer points = COMPLEXITY_WORDS.get(word);
            if (points != null) {
                total += points;
                reasons.add("'" + word + "' " + signed(points));
            }
        }
        Files files = Files.of(draft.files());
        if (files.count() > 1) {
            int points = Math.min(MAX_FILE_POINTS, POINTS_PER_EXTRA_FILE * (files.count() - 1));
            total += points;
            reasons.add(files.count() + " files " + signed(points));
        }
        if (files.modules().size() > 1) {
            int points = Math.min(MAX_MODULE_POINTS, POINTS_PER_EXTRA_MODULE * (files.modules().size() - 1));
            total += points;
            reasons.add(files.modules().size() + " modules " + signed(points));
        }
        int clamped = Math.clamp(total, 0, 100);
        String result = clamped == total ? " = " + total : " = " + total + ", clamped to " + clamped;
        return new Resolved<>(clamped, "heuristic: " + reasons + result);
    }

    // ---- scope ----

    private static Resolved<Scope> inferScope(List<String> declared) {
        Files files = Files.of(declared);
        if (files.count() == 0) {
            return new Resolved<>(Scope.UNKNOWN, "heuristic: no files declared");
        }
        if (files.count() == 1) {
            return new Resolved<>(Scope.SINGLE_FILE, "heuristic: 1 file");
        }
        if (files.modules().size() == 1) {
            return new Resolved<>(Scope.MODULE, "heuristic: " + files.count() + " files in 1 module '"
                    + files.modules().iterator().next() + "'");
        }
        return new Resolved<>(Scope.MULTI_MODULE, "heuristic: " + files.count() + " files in "
                + files.modules().size() + " modules " + files.modules());
    }

    // ---- risk ----

    private static Resolved<Risk> inferRisk(TaskDraft draft, Text text) {
        List<String> priority = draft.priority() == null ? List.of() : words(draft.priority());
        for (String word : priority) {
            if (HIGH_RISK_PRIORITIES.contains(word)) {
                return new Resolved<>(Risk.HIGH, "heuristic: priority '" + draft.priority().strip() + "'");
            }
        }
        for (String tag : draft.tags()) {
            for (String word : words(tag)) {
                if (HIGH_RISK_WORDS.contains(word)) {
                    return new Resolved<>(Risk.HIGH, "heuristic: tag '" + tag + "'");
                }
            }
        }
        for (String word : text.titleAndPrompt()) {
            if (HIGH_RISK_WORDS.contains(word)) {
                return new Resolved<>(Risk.HIGH, "heuristic: word '" + word + "'");
            }
        }
        for (String word : priority) {
            if (LOW_RISK_PRIORITIES.contains(word)) {
                return new Resolved<>(Risk.LOW, "heuristic: priority '" + draft.priority().strip() + "'");
            }
        }
        return new Resolved<>(Risk.MEDIUM, "heuristic: no risky priority or subject, so medium");
    }

    // ---- estimated tokens ----

    private static Resolved<Long> inferTokens(TaskDraft draft) {
        String prompt = draft.prompt().isBlank() ? draft.title() : draft.prompt();
        long characters = prompt.length();
        int files = Files.of(draft.files()).count();
        long tokens = BASE_TOKENS + characters / CHARS_PER_TOKEN + TOKENS_PER_FILE * files;
        return new Resolved<>(tokens, String.format(Locale.ROOT,
                "heuristic: %,d base + %,d prompt characters / %d + %d %s × %,d = %,d",
                BASE_TOKENS, characters, CHARS_PER_TOKEN, files, files == 1 ? "file" : "files", TOKENS_PER_FILE,
                tokens));
    }

    // ---- reasoning and iteration ----

    private static Resolved<Boolean> inferReasoning(TaskType type, int complexity) {
        if (REASONING_TYPES.contains(type)) {
            return new Resolved<>(true, "heuristic: type " + type.configName());
        }
        if (complexity >= REASONING_COMPLEXITY) {
            return new Resolved<>(true, "heuristic: complexity " + complexity + " >= " + REASONING_COMPLEXITY);
        }
        return new Resolved<>(false, "heuristic: type " + type.configName() + " and complexity " + complexity
                + " < " + REASONING_COMPLEXITY);
    }

    private static Resolved<Boolean> inferIteration(TaskType type, int complexity) {
        if (!ITERATION_TYPES.contains(type)) {
            return new Resolved<>(false, "heuristic: type " + type.configName() + " is not iterative work");
        }
        if (complexity >= REASONING_COMPLEXITY) {
            return new Resolved<>(false, "heuristic: complexity " + complexity + " >= " + REASONING_COMPLEXITY);
        }
        return new Resolved<>(true, "heuristic: type " + type.configName() + " and complexity " + complexity
                + " < " + REASONING_COMPLEXITY);
    }

    // ---- needed skills ----

    private static List<String> neededSkills(String workType, TaskType type, boolean reasoning, boolean iteration,
            long tokens, List<String> tags) {
        LinkedHashSet<String> skills = new LinkedHashSet<>();
        skills.add(Skills.normalize(workType));
        skills.add(Skills.normalize(type.configName()));
        if (reasoning) {
            skills.add("reasoning");
        }
        if (iteration) {
            skills.add("speed");
        }
        if (tokens > LARGE_CONTEXT_TOKENS) {
            skills.add("large-context");
        }
        tags.forEach(tag -> skills.add(Skills.normalize(tag)));
        skills.remove("");
        return List.copyOf(skills);
    }

    // ---- shared ----

    private static <T> Resolved<T> stated(TaskDraft draft, String trait, T value) {
        String where = draft.statedAt().get(trait);
        return new Resolved<>(value, "stated (" + (where == null ? draft.source().toString() : where) + ")");
    }

    /** The whole words of a text, lower-cased, in order. */
    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        for (String word : NON_WORD.split(text.toLowerCase(Locale.ROOT))) {
            if (!word.isEmpty()) {
                words.add(word);
            }
        }
        return words;
    }

    private static String signed(int points) {
        return points >= 0 ? "+" + points : String.valueOf(points);
    }

    private record Resolved<T>(T value, String provenance) {
    }

    /**
     * The words of a draft, split once.
     *
     * @param titleAndPrompt the words of the title, then the prompt
     * @param all the words of the title, then the tags, then the prompt
     */
    private record Text(List<String> titleAndPrompt, List<String> all) {
        static Text of(TaskDraft draft) {
            List<String> title = words(draft.title());
            List<String> prompt = words(draft.prompt());
            List<String> titleAndPrompt = new ArrayList<>(title);
            titleAndPrompt.addAll(prompt);
            List<String> all = new ArrayList<>(title);
            draft.tags().forEach(tag -> all.addAll(words(tag)));
            all.addAll(prompt);
            return new Text(List.copyOf(titleAndPrompt), List.copyOf(all));
        }
    }

    /** Declared files, each counted once, with their modules (first path segment; {@code .} for the top level). */
    private record Files(int count, Set<String> modules) {
        static Files of(List<String> declared) {
            Set<String> paths = new LinkedHashSet<>();
            Set<String> modules = new LinkedHashSet<>();
            for (String file : declared) {
                String path = file.strip().replace('\\', '/');
                while (path.startsWith("./")) {
                    path = path.substring(2);
                }
                while (path.startsWith("/")) {
                    path = path.substring(1);
                }
                if (path.isEmpty() || !paths.add(path)) {
                    continue;
                }
                int slash = path.indexOf('/');
                modules.add(slash < 0 ? "." : path.substring(0, slash));
            }
            return new Files(paths.size(), modules);
        }
    }

    private static Map<TaskType, List<String>> typeWords() {
        EnumMap<TaskType, List<String>> words = new EnumMap<>(TaskType.class);
        words.put(TaskType.DESIGN, List.of(
                "design", "designs", "designed", "designing", "redesign",
                "architect", "architects", "plan", "plans", "planned", "planning",
                "propose", "proposes", "proposed", "proposal",
                "specify", "specifies", "specified", "specification", "spec", "rfc",
                "sketch", "outline"));
        words.put(TaskType.IMPLEMENT, List.of(
                "implement", "implements", "implemented", "implementing", "implementation",
                "add", "adds", "added", "adding",
                "build", "builds", "building",
                "create", "creates", "created", "creating",
                "develop", "develops", "developed", "developing",
                "introduce", "introduces", "introduced", "introducing",
                "support", "supports",
                "wire", "wires", "wired", "wiring",
                "enable", "enables", "integrate", "integrates", "extend", "extends", "expose", "exposes",
                "feature", "features"));
        words.put(TaskType.FIX, List.of(
                "fix", "fixes", "fixed", "fixing",
                "repair", "repairs", "repaired",
                "resolve", "resolves", "resolved",
                "debug", "debugs", "debugged", "debugging",
                "patch", "patches", "patched",
                "correct", "corrects", "corrected",
                "bug", "bugs", "bugfix", "hotfix", "regression", "troubleshoot", "diagnose"));
        words.put(TaskType.REFACTOR, List.of(
                "refactor", "refactors", "refactored", "refactoring",
                "rename", "renames", "renamed", "renaming",
                "extract", "extracts", "extracted",
                "restructure", "restructures", "restructured",
                "simplify", "simplifies", "simplified",
                "reorganize", "reorganise", "reorganizes", "reorganized",
                "clean", "cleanup", "tidy", "consolidate", "deduplicate", "decouple", "modularize", "migrate"));
        words.put(TaskType.REVIEW, List.of(
                "review", "reviews", "reviewed", "reviewing",
                "audit", "audits", "audited", "auditing",
                "inspect", "inspects", "inspected",
                "assess", "assesses", "assessed", "assessment",
                "evaluate", "evaluates", "evaluated", "evaluation",
                "critique"));
        words.put(TaskType.TEST, List.of(
                "test", "tests", "tested", "testing",
                "cover", "covers", "covered", "coverage",
                "qa", "e2e"));
        words.put(TaskType.DOCS, List.of(
                "document", "documents", "documented", "documenting", "documentation",
                "docs", "doc", "readme", "javadoc", "changelog", "tutorial"));
        words.put(TaskType.DEPLOY, List.of(
                "deploy", "deploys", "deployed", "deploying", "deployment",
                "release", "releases", "released",
                "ship", "ships", "shipped",
                "provision", "provisions", "provisioned",
                "publish", "rollout"));
        words.put(TaskType.RESEARCH, List.of(
                "research", "researches", "researched",
                "investigate", "investigates", "investigated", "investigation",
                "explore", "explores", "explored", "exploration",
                "compare", "compares", "compared", "comparison",
                "analyze", "analyse", "analyzes", "analyzed", "analysis",
                "spike", "study", "survey", "benchmark", "benchmarks"));
        return Collections.unmodifiableMap(words);
    }

    private static Map<String, TaskType> typeByWord() {
        Map<String, TaskType> byWord = new HashMap<>();
        TYPE_WORDS.forEach((type, words) -> words.forEach(word -> {
            TaskType previous = byWord.put(word, type);
            if (previous != null) {
                throw new IllegalStateException("'" + word + "' is listed under " + previous + " and " + type);
            }
        }));
        return Map.copyOf(byWord);
    }

    private static Map<String, Integer> complexityWords() {
        Map<String, Integer> words = new LinkedHashMap<>();
        // Hard problems.
        for (String word : List.of("complex", "complicated", "distributed", "concurrency", "concurrent",
                "multithreaded", "deadlock", "architecture", "architectural", "migration", "consensus",
                "cryptography", "rewrite", "redesign")) {
            words.put(word, 15);
        }
        for (String word : List.of("parallel", "race", "security", "encryption", "protocol", "transaction",
                "transactions", "consistency", "performance", "scalability", "algorithm", "legacy", "migrate")) {
            words.put(word, 10);
        }
        // Easy ones.
        for (String word : List.of("trivial", "typo", "typos")) {
            words.put(word, -30);
        }
        for (String word : List.of("simple", "tiny", "easy", "cosmetic")) {
            words.put(word, -20);
        }
        for (String word : List.of("small", "minor", "straightforward")) {
            words.put(word, -15);
        }
        words.put("quick", -10);
        return Collections.unmodifiableMap(words);
    }
}
