package dev.slicer.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slicer.codec.CodecRevision;
import dev.slicer.planner.model.DistortionTable;
import dev.slicer.planner.model.SplitProfile;
import dev.slicer.planner.model.SyntheticProfiles;
import dev.slicer.planner.plan.PlanJson;
import dev.slicer.planner.search.Theta;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CachedProfileTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);

    private static String measuredProfileJson() {
        Theta half = Theta.losslessHalf();
        SplitProfile p = SyntheticProfiles.encoder(2)
                .withDistortion(
                        List.of(half),
                        new DistortionTable("output-cosine-min", 1, Map.of(half.id(), List.of(1.0, 1.0))));
        return PlanJson.write(p, false);
    }

    @Test
    void aProfileOfThisCodecIsKept() throws Exception {
        Path f = Files.writeString(dir.resolve("p.json"), measuredProfileJson());
        assertThat(CachedProfile.usable(f, out)).isTrue();
        assertThat(f).exists();
        assertThat(log.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void aProfileOfAnotherCodecRevisionIsDroppedAndSaidSo() throws Exception {
        String stamp = "\"codecRevision\":" + CodecRevision.CURRENT;
        String older = measuredProfileJson().replace(stamp, "\"codecRevision\":" + (CodecRevision.CURRENT - 1));
        Path f = Files.writeString(dir.resolve("p.json"), older);
        assertThat(CachedProfile.usable(f, out)).isFalse();
        assertThat(f).doesNotExist();
        assertThat(log.toString(StandardCharsets.UTF_8))
                .contains("is refused")
                .contains("codec revision " + (CodecRevision.CURRENT - 1))
                .contains("calibrating it again");
    }

    @Test
    void noFileIsNotUsable() throws Exception {
        assertThat(CachedProfile.usable(dir.resolve("none.json"), out)).isFalse();
    }
}
