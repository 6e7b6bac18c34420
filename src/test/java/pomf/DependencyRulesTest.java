package pomf;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnitAccess;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dependency rules of the design (docs/DESIGN.md, style 12), checked on the compiled main classes: within a
 * feature, entity ← control ← boundary; nothing imports {@code admin}; the edge reaches the origin over HTTP only;
 * no loops between features; one feature names one type one way; a setting is read in one class; threads come
 * from the container (or, for the stop sequence, from {@code pomf.threads}); plain SQL is made in one {@code *Sql}
 * class per feature. The README's picture of the features and their arrows is this test's output, so it
 * cannot go stale.
 */
class DependencyRulesTest {
    /** What the edge may use: the shared pieces every instance runs, none of the origin's features. */
    private static final Set<String> EDGE_MAY_USE = Set.of(
            "http",
            "names",
            "time",
            "threads",
            "roles",
            "problem",
            "untrusted",
            "metrics",
            "delivery",
            "caps",
            "traffic");

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("pomf");
    }

    @Test
    void entitiesUseNoControlOrBoundary() {
        noClasses()
                .that()
                .resideInAPackage("pomf..entity..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("pomf..control..", "pomf..boundary..")
                .check(classes);
    }

    @Test
    void controlUsesNoBoundary() {
        noClasses()
                .that()
                .resideInAPackage("pomf..control..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("pomf..boundary..")
                .check(classes);
    }

    @Test
    void nothingUsesAdmin() {
        noClasses()
                .that()
                .resideOutsideOfPackage("pomf.admin..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("pomf.admin..")
                .check(classes);
    }

    @Test
    void theEdgeReachesTheOriginOverHttpOnly() {
        String[] origin = features().stream()
                .filter(f -> !f.equals("edge") && !EDGE_MAY_USE.contains(f))
                .map(f -> "pomf." + f + "..")
                .toArray(String[]::new);
        noClasses()
                .that()
                .resideInAPackage("pomf.edge..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(origin)
                .check(classes);
    }

    @Test
    void featuresFormNoLoop() {
        slices().matching("pomf.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void noFeatureHasTwoTypesOfOneName() {
        Map<String, List<String>> byName = new TreeMap<>();
        for (JavaClass c : classes) {
            if (!feature(c).isEmpty()
                    && !c.isAnonymousClass()
                    && !c.getSimpleName().isEmpty()) {
                byName.computeIfAbsent(feature(c) + ": " + c.getSimpleName(), k -> new ArrayList<>())
                        .add(c.getName());
            }
        }
        byName.values().removeIf(names -> names.size() < 2);
        assertThat(byName).as("types named alike within one feature").isEmpty();
    }

    @Test
    void everySettingIsReadInOnePlace() {
        Map<String, Set<String>> readers = new TreeMap<>();
        for (JavaClass c : classes) {
            for (JavaField field : c.getFields()) {
                field.tryGetAnnotationOfType(ConfigProperty.class)
                        .ifPresent(p -> readers.computeIfAbsent(p.name(), k -> new TreeSet<>())
                                .add(c.getSimpleName()));
            }
        }
        assertThat(readers).as("settings read").isNotEmpty();
        readers.values().removeIf(names -> names.size() < 2);
        assertThat(readers).as("settings read by more than one class").isEmpty();
    }

    @Test
    void threadsComeFromTheContainer() {
        List<String> found = new ArrayList<>();
        for (JavaClass c : classes) {
            if (c.getPackageName().startsWith("pomf.threads")) {
                continue; // the stop sequence's threads, made by hand on purpose
            }
            for (JavaCodeUnitAccess<?> call : c.getCodeUnitAccessesFromSelf()) {
                String owner = call.getTargetOwner().getName();
                String method = call.getName();
                List<String> parameters = call.getTarget().getRawParameterTypes().stream()
                        .map(JavaClass::getName)
                        .toList();
                boolean byHand = owner.equals(Thread.class.getName()) && method.equals("<init>");
                boolean poolWithoutFactory = (owner.equals(Executors.class.getName()) && method.startsWith("new")
                                || owner.equals(ThreadPoolExecutor.class.getName()) && method.equals("<init>")
                                || owner.equals(ScheduledThreadPoolExecutor.class.getName()) && method.equals("<init>"))
                        && !parameters.contains(ThreadFactory.class.getName());
                boolean defaultFactory = owner.equals(Executors.class.getName())
                        && (method.equals("defaultThreadFactory") || method.equals("privilegedThreadFactory"));
                boolean commonPool = owner.equals(CompletableFuture.class.getName())
                        && method.endsWith("Async")
                        && !parameters.contains(Executor.class.getName());
                if (byHand || poolWithoutFactory || defaultFactory || commonPool) {
                    found.add(call.getDescription());
                }
            }
        }
        assertThat(found)
                .as("threads made outside pomf.threads.control.Threads and the container's factory")
                .isEmpty();
    }

    /**
     * Every package of main classes has tests beside it, in the same package of the test tree, so a change to a
     * package is checked where it is made (classes that talk to the container through stand-ins, the rest directly).
     */
    @Test
    void everyPackageHasTestsBesideIt() throws IOException {
        Path main = Path.of("src/main/java");
        Path test = Path.of("src/test/java");
        List<String> untested = new ArrayList<>();
        try (var folders = Files.walk(main)) {
            for (Path folder : folders.filter(Files::isDirectory).toList()) {
                if (holdsClasses(folder) && !holdsTests(test.resolve(main.relativize(folder)))) {
                    untested.add(main.relativize(folder).toString().replace('/', '.'));
                }
            }
        }
        assertThat(untested)
                .as("packages of main classes with no test beside them")
                .isEmpty();
    }

    private static boolean holdsClasses(Path folder) throws IOException {
        try (var files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString())
                    .anyMatch(n -> n.endsWith(".java") && !n.equals("package-info.java"));
        }
    }

    private static boolean holdsTests(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return false;
        }
        try (var files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString())
                    .anyMatch(n -> n.endsWith("Test.java") || n.endsWith("IT.java"));
        }
    }

    /**
     * Plain SQL lives in one class per feature, named {@code <Feature>Sql}: native queries through JPA and JDBC
     * statements are made there only, so a table's writers are found from its name in one hop. JPA's entities and
     * named queries stay with the feature that owns them. The reporting feature is the exception: its statements
     * are the operator's report files, which {@code ReportRunner} runs.
     */
    @Test
    void statementsLiveInOneSqlClassPerFeature() {
        Map<String, Set<String>> byFeature = new TreeMap<>();
        List<String> misnamed = new ArrayList<>();
        for (JavaClass c : classes) {
            String feature = feature(c);
            if (feature.equals("reporting")) {
                continue;
            }
            for (JavaCodeUnitAccess<?> call : c.getCodeUnitAccessesFromSelf()) {
                if (makesAStatement(call.getTargetOwner().getName(), call.getName())) {
                    JavaClass top = c;
                    while (top.getEnclosingClass().isPresent()) {
                        top = top.getEnclosingClass().get();
                    }
                    byFeature.computeIfAbsent(feature, f -> new TreeSet<>()).add(top.getName());
                    if (!top.getSimpleName().endsWith("Sql")) {
                        misnamed.add(call.getDescription());
                    }
                }
            }
        }
        assertThat(misnamed).as("statements made outside a *Sql class").isEmpty();
        assertThat(byFeature.values())
                .as("features whose statements are in more than one class: " + byFeature)
                .allMatch(owners -> owners.size() == 1);
    }

    private static boolean makesAStatement(String owner, String method) {
        return owner.equals("jakarta.persistence.EntityManager") && method.equals("createNativeQuery")
                || owner.equals("java.sql.Connection")
                        && Set.of("prepareStatement", "createStatement", "prepareCall")
                                .contains(method)
                || owner.equals("org.postgresql.copy.CopyManager");
    }

    @Test
    void theReadmePicturesTheFeaturesAsTheyAre() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        assertThat(readme)
                .as("README.md's feature picture (between the markers) is what the code does; this is the picture now")
                .contains(picture());
    }

    /** Each feature and the features it uses, one line each, in the order a newcomer reads them: users last. */
    static String picture() {
        Map<String, Set<String>> uses = uses();
        StringBuilder out = new StringBuilder("<!-- features: generated by DependencyRulesTest -->\n```\n");
        for (String feature : layered(uses)) {
            Set<String> used = uses.get(feature);
            out.append(used.isEmpty() ? feature : String.format("%-10s -> %s", feature, String.join(", ", used)));
            out.append('\n');
        }
        return out.append("```\n<!-- end of features -->").toString();
    }

    private static Set<String> features() {
        return classes.stream()
                .map(DependencyRulesTest::feature)
                .filter(f -> !f.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Map<String, Set<String>> uses() {
        Map<String, Set<String>> uses = new TreeMap<>();
        features().forEach(f -> uses.put(f, new TreeSet<>()));
        for (JavaClass c : classes) {
            String from = feature(c);
            if (from.isEmpty()) {
                continue;
            }
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                String to = feature(d.getTargetClass());
                if (!to.isEmpty() && !to.equals(from)) {
                    uses.get(from).add(to);
                }
            }
        }
        return uses;
    }

    /** Features by layer (one that uses nothing first, then those using only the layers before), by name within. */
    private static Iterable<String> layered(Map<String, Set<String>> uses) {
        Set<String> placed = new java.util.LinkedHashSet<>();
        while (placed.size() < uses.size()) {
            Set<String> layer = new TreeSet<>();
            uses.forEach((f, used) -> {
                if (!placed.contains(f) && placed.containsAll(used)) {
                    layer.add(f);
                }
            });
            if (layer.isEmpty()) { // a loop (featuresFormNoLoop says where): the rest by name
                uses.keySet().stream().filter(f -> !placed.contains(f)).forEach(layer::add);
            }
            placed.addAll(layer);
        }
        return placed;
    }

    /** {@code pomf.upload.control.Receiver} → {@code upload}; a class of the root package or outside → "". */
    private static String feature(JavaClass c) {
        String name = c.getPackageName();
        if (!name.startsWith("pomf.")) {
            return "";
        }
        int dot = name.indexOf('.', 5);
        return dot < 0 ? name.substring(5) : name.substring(5, dot);
    }
}
