package pomf.upload.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.mime.MimeTypes;

/**
 * Coverage-guided comparison of {@link MagicRules} with Tika's own detection (issue 13, cheap requests): the first
 * bytes of an upload are whatever a client sends, and the type decides what the block lists refuse and what
 * Content-Type the file is served with, so the faster evaluation must answer exactly what Tika answers, for any
 * bytes. The fuzzer's byte comparisons steer it into the magic patterns (the rules compare bytes one by one).
 */
class MagicRulesFuzzTest {
    private static final MimeTypes TYPES = MimeTypes.getDefaultMimeTypes();
    private static final MagicRules RULES = MagicRules.of(TYPES).orElseThrow();

    @FuzzTest(maxDuration = "10s")
    void answersWhatTikaAnswers(FuzzedDataProvider data) throws IOException {
        byte[] head = data.consumeRemainingAsBytes();
        if (head.length > IncomingFile.HEAD_BYTES) {
            return;
        }
        assertEquals(TYPES.detect(new ByteArrayInputStream(head), new Metadata()), RULES.detect(head));
    }
}
