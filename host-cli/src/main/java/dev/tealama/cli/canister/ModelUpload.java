package dev.tealama.cli.canister;

import dev.tealama.TealamaException;
import dev.tealama.cli.ModelFileOption;
import dev.tealama.cli.Sizes;
import dev.tealama.cli.canister.CanisterTypes.ChunkReceipt;
import dev.tealama.cli.canister.CanisterTypes.LoadProgress;
import dev.tealama.cli.canister.CanisterTypes.ModelInfo;
import dev.tealama.cli.canister.CanisterTypes.Range;
import dev.tealama.cli.canister.CanisterTypes.UploadStatus;
import dev.tealama.cli.store.MappedFileSource;
import dev.tealama.model.LlamaConfig;
import dev.tealama.model.LlamaModel;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Puts a GGUF model on the canister and loads it, resumably:
 * <ol>
 *   <li>checks the file is a model the canister can load (the same {@code LlamaModel.load} the canister runs) before
 *       a byte is sent, and computes its SHA-256;</li>
 *   <li>asks the canister what it has ({@code model_info}, {@code upload_status}): the same model already loaded is
 *       left alone; an upload of the same file that was interrupted is resumed, sending only the ranges the canister
 *       lists as missing; anything else starts a new upload ({@code upload_begin});</li>
 *   <li>sends chunks of at most {@link #MAX_CHUNK_BYTES} (a signed message must stay under the IC's 2 MiB) with a
 *       progress bar, until {@code upload_status} says complete;</li>
 *   <li>calls {@code load} until it reports done (each call stays under the canister's instruction budget).</li>
 * </ol>
 * An interruption (the replica unreachable after retries) ends with a message saying how far it got; running the same
 * upload again finishes the job.
 */
public final class ModelUpload {
    /** The largest chunk: 1.9 MB leaves room for the call's envelope under the IC's 2 MiB ingress limit. */
    public static final int MAX_CHUNK_BYTES = 1_900_000;

    /**
     * What an upload did.
     *
     * @param alreadyOnCanister bytes the canister had before this run (a resumed upload)
     * @param bytesSent         bytes sent in this run
     * @param alreadyLoaded     the canister had this model loaded: nothing was sent
     */
    public record Result(String name, long size, byte[] sha256, long alreadyOnCanister, long bytesSent,
                         int chunksSent, boolean alreadyLoaded, int loadCalls, long loadInstructions,
                         ModelInfo info) {
    }

    /** A model file that passed {@link #check}: one the canister can load. */
    public record CheckedModel(Path file, long size, String summary) {
    }

    /** Called after each chunk the canister accepted (tests interrupt an upload with it). */
    public interface ChunkListener {
        void sent(long offset, int length, ChunkReceipt receipt);
    }

    private final TealamaCanister canister;
    private final CheckedModel model;
    private final Path file;
    private final String name;
    private final int chunkBytes;
    private final PrintStream log;
    private final boolean interactive;
    private ChunkListener listener = (offset, length, receipt) -> { };

    /**
     * @param name        what the canister calls the model (the file name by default)
     * @param chunkBytes  bytes per upload_chunk call, at most {@link #MAX_CHUNK_BYTES}
     * @param log         where progress goes (standard error)
     * @param interactive whether {@code log} is a terminal (the progress bar redraws in place)
     */
    public ModelUpload(TealamaCanister canister, CheckedModel model, String name, int chunkBytes, PrintStream log,
                       boolean interactive) {
        if (chunkBytes < 1 || chunkBytes > MAX_CHUNK_BYTES) {
            throw new IllegalArgumentException("chunks are 1 to " + MAX_CHUNK_BYTES + " bytes, not " + chunkBytes);
        }
        this.canister = canister;
        this.model = model;
        this.file = model.file();
        this.name = name;
        this.chunkBytes = chunkBytes;
        this.log = log;
        this.interactive = interactive;
    }

    ModelUpload onChunk(ChunkListener chunkListener) {
        this.listener = chunkListener;
        return this;
    }

    public Result run() {
        long size = model.size();
        log.println("model:    " + file.getFileName() + " (" + Sizes.bytes(size) + ", " + model.summary() + ")");
        byte[] sha256 = sha256(file);
        log.println("sha-256:  " + HexFormat.of().formatHex(sha256));
        log.println("canister: " + canister.calls().describe());

        ModelInfo before = canister.modelInfo();
        if (before.isLoaded() && before.size() == size && Arrays.equals(before.sha256(), sha256)) {
            log.println("the canister has this model loaded already (as '" + before.name() + "'): nothing to send");
            return new Result(before.name(), size, sha256, size, 0, 0, true, 0, 0, before);
        }

        UploadStatus status = canister.uploadStatus();
        boolean sameUpload = !"none".equals(status.state()) && status.size() == size
                && Arrays.equals(status.sha256(), sha256);
        long alreadyThere = sameUpload ? status.received() : 0;
        if (sameUpload && status.isComplete()) {
            log.println("the canister has every byte of this model already (as '" + status.name() + "'): loading it");
        } else if (sameUpload) {
            log.println("resuming: " + Sizes.bytes(status.received()) + " of " + Sizes.bytes(size) + " are on the "
                    + "canister already; sending the " + Sizes.count(status.missingCount()) + " missing range"
                    + (status.missingCount() == 1 ? "" : "s"));
        } else {
            status = canister.uploadBegin(size, sha256, name);
            if (!"none".equals(before.state())) {
                log.println("replaced the canister's model '" + before.name() + "' (" + before.state() + ")");
            }
        }

        long sent = 0;
        int chunks = 0;
        ProgressBar bar = new ProgressBar(log, "upload", size, status.received(), interactive, System::nanoTime);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            while (!status.isComplete()) {
                if (status.missing().isEmpty()) {
                    throw new TealamaException("the canister reports " + status.missingCount() + " missing ranges of "
                            + "the upload but lists none");
                }
                for (Range range : status.missing()) {
                    for (long at = range.offset(); at < range.end(); at += chunkBytes) {
                        int length = (int) Math.min(chunkBytes, range.end() - at);
                        ChunkReceipt receipt = canister.uploadChunk(at, read(channel, at, length));
                        sent += length;
                        chunks++;
                        bar.update(receipt.received());
                        listener.sent(at, length, receipt);
                    }
                }
                status = canister.uploadStatus();
            }
            bar.update(size);
        } catch (CanisterCallException e) {
            bar.close();
            if (e.kind() == CanisterCallException.Kind.REJECTED || e.kind() == CanisterCallException.Kind.TOO_LARGE) {
                throw e;
            }
            long received = alreadyThere + sent;
            throw new TealamaException("the upload stopped after " + Sizes.bytes(received) + " of " + Sizes.bytes(size)
                    + " (" + e.getMessage() + "). Run the same command again to resume: it sends only what is missing",
                    e);
        } catch (IOException e) {
            bar.close();
            throw new TealamaException("cannot read " + file + ": " + e.getMessage(), e);
        } finally {
            bar.close();
        }

        int loadCalls = 0;
        long loadInstructions = 0;
        LoadProgress progress;
        do {
            progress = canister.load();
            loadCalls++;
            loadInstructions += progress.instructions();
            log.println("load:     " + progress.phase() + (progress.done() ? "" : " " + Sizes.bytes(progress.bytesDone())
                    + " of " + Sizes.bytes(progress.bytesTotal())) + " (call " + loadCalls + ", "
                    + Sizes.count(progress.instructions()) + " instructions)");
        } while (!progress.done());
        ModelInfo after = canister.modelInfo();
        log.println("loaded:   " + after.name() + ": " + after.architecture() + ", " + after.layers() + " layers, dim "
                + after.dim() + ", vocabulary " + Sizes.count(after.vocabulary()) + ", " + String.join("/",
                after.weightTypes()) + ", chat template " + after.chatTemplate());
        return new Result(after.name(), size, sha256, alreadyThere, sent, chunks, false, loadCalls, loadInstructions,
                after);
    }

    /**
     * Checks that {@code file} is a model the canister can load (what its {@code load} will check: a GGUF file, a
     * Llama architecture, supported tensor types and sizes, a tokenizer), and says what it is. Nothing is sent.
     */
    public static CheckedModel check(Path file) {
        ModelFileOption.requireReadableFile(file, "model file");
        try (MappedFileSource source = MappedFileSource.open(file)) {
            LlamaModel model = LlamaModel.load(source);
            LlamaConfig c = model.config();
            return new CheckedModel(file, size(file), c.layers() + " layers, dim " + c.dim() + ", vocabulary "
                    + Sizes.count(c.vocabularySize()));
        } catch (TealamaException e) {
            throw new TealamaException(file + " is not a model the canister can load (" + e.getMessage()
                    + "); nothing was sent", e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new TealamaException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The file's SHA-256 (what the canister checks the upload against). */
    static byte[] sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            byte[] buffer = new byte[1 << 20];
            while (in.read(buffer) >= 0) {
                // the digest sees every byte
            }
            return ((DigestInputStream) in).getMessageDigest().digest();
        } catch (IOException e) {
            throw new TealamaException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] read(FileChannel channel, long offset, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, offset + buffer.position()) < 0) {
                throw new IOException("the file ended at " + (offset + buffer.position()) + " bytes: it changed "
                        + "during the upload");
            }
        }
        return buffer.array();
    }
}
