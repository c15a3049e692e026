package dev.lockstep.client.se;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's plain-Java example compiles as shown, imports and all, against the compile class
 * path a user of this one artifact gets (written by {@code dependency:build-classpath}).
 */
class ReadmeExampleTest {
  /** The marker in the README before the example's code block. */
  private static final String MARKER = "<!-- plain-java-example: compiled by ReadmeExampleTest -->";

  @Test
  void plainJavaExample_compilesAgainstThisArtifactAlone(@TempDir Path dir) throws Exception {
    String readme = Files.readString(Path.of(System.getProperty("lockstep.se.readme")));
    int at = readme.indexOf(MARKER);
    assertTrue(at >= 0, "the README has the marked example");
    Matcher block =
        Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(readme.substring(at));
    assertTrue(block.find(), "a java block follows the marker");
    String source = block.group(1);
    Matcher className = Pattern.compile("public class (\\w+)").matcher(source);
    assertTrue(className.find(), "the example is a public class");
    Path file = dir.resolve(className.group(1) + ".java");
    Files.writeString(file, source, StandardCharsets.UTF_8);

    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringWriter diagnostics = new StringWriter();
    boolean compiled =
        javac
            .getTask(
                diagnostics,
                null,
                null,
                List.of(
                    "-classpath",
                    PlainJavaRuntimeTest.classPath("lockstep.se.compileClassPath"),
                    "-d",
                    dir.toString(),
                    "-Werror",
                    "-Xlint:all,-processing"),
                null,
                javac
                    .getStandardFileManager(null, null, StandardCharsets.UTF_8)
                    .getJavaFileObjects(file.toFile()))
            .call();

    assertTrue(compiled, "the README example does not compile:\n" + diagnostics);
    assertTrue(
        new File(dir.toFile(), className.group(1) + ".class").exists(), "a class was written");
  }
}
