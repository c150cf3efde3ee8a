package dev.tealama.canister.api;

import dev.tealama.TealamaException;
import dev.tealama.canister.ic.Message;
import dev.tealama.canister.kernels.CanisterKernels;
import dev.tealama.canister.kernels.PackedLayout;
import dev.tealama.canister.store.ArenaSha256;
import dev.tealama.canister.store.LinearMemory;
import dev.tealama.canister.store.StableStore;
import dev.tealama.canister.store.UploadLedger;
import dev.tealama.canister.store.WeightArena;
import dev.tealama.math.Sha256;
import dev.tealama.model.ForwardPass;
import dev.tealama.model.LayerWeights;
import dev.tealama.model.LlamaConfig;
import dev.tealama.model.LlamaModel;
import dev.tealama.model.Matrix;
import dev.tealama.model.NumericScheme;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The canister's one model: its upload (bytes in the weight arena and in stable memory, chunks in the ledger), and
 * its loading (restore from stable memory after an upgrade, SHA-256 check, GGUF parse, repacking of the layers'
 * Q8_0 / Q4_0 matrices into {@link PackedLayout}) in steps that each fit a message.
 */
final class ModelSlot {
    /** What {@code load} is doing. */
    enum Phase { RESTORING, VERIFYING, PARSING, REPACKING, LOADED }

    /** Bytes restored from stable memory per {@code stable64_read} (the IC allows 2 GiB of stable access a message). */
    private static final long RESTORE_PIECE = 64L << 20;
    private static final long STABLE_BYTES_PER_MESSAGE = 1900L << 20;
    /** Bytes hashed per piece. */
    private static final int HASH_PIECE = 1 << 20;

    private final WeightArena arena;

    // the upload (null when there is none)
    private UploadLedger ledger;
    private byte[] sha256;
    private String name;

    // loading
    private boolean arenaRestored;
    private long restored;
    private ArenaSha256 hasher;
    private long hashed;
    private boolean verified;
    private LlamaModel model;
    // repacking (after the parse, before the model is usable): the matrices to repack, the next one and its next group
    private LlamaModel parsed;
    private Matrix[] toPack;
    private int packMatrix;
    private int packGroup;
    private long packedBytes;
    private long packBytesTotal;
    private long[] packedOffsets = new long[0];
    private double packCostPerByte = 20;
    private double instructionsPerUnit;
    private double hashCostPerByte = 200;
    private double restoreCostPerByte = 2;

    ModelSlot(WeightArena arena) {
        this.arena = arena;
    }

    /** After an upgrade: the upload recorded in stable memory, whose bytes are not in the (new) arena yet. */
    void restoreFromStable() {
        StableStore.Upload upload = StableStore.readUpload();
        if (upload != null) {
            ledger = upload.ledger();
            sha256 = upload.sha256();
            name = upload.name();
            arenaRestored = false;
            restored = 0;
        }
    }

    /** The weight arena (for the memory report). */
    WeightArena arena() {
        return arena;
    }

    boolean hasUpload() {
        return ledger != null;
    }

    UploadLedger ledger() {
        return ledger;
    }

    byte[] sha256() {
        return sha256;
    }

    String name() {
        return name;
    }

    LlamaModel model() {
        return model;
    }

    boolean isLoaded() {
        return model != null;
    }

    String state() {
        if (ledger == null) {
            return "none";
        }
        if (model != null) {
            return "loaded";
        }
        if (!ledger.isComplete()) {
            return "uploading";
        }
        return hasher != null || (!arenaRestored && restored > 0) ? "loading" : "uploaded";
    }

    /**
     * Starts an upload, discarding the current model; a begin with the same size and SHA-256 as the current
     * upload keeps it (a client resuming an interrupted upload) and returns false.
     */
    boolean begin(long size, byte[] digest, String newName) {
        if (digest.length != Sha256.DIGEST_LENGTH) {
            throw new TealamaException("sha256 must be 32 bytes, got " + digest.length);
        }
        if (newName.getBytes(StandardCharsets.UTF_8).length > StableStore.MAX_NAME_BYTES) {
            throw new TealamaException("the name is longer than " + StableStore.MAX_NAME_BYTES + " bytes");
        }
        if (size <= 0) {
            throw new TealamaException("the model size must be positive (got " + size + ")");
        }
        if (ledger != null && ledger.size() == size && Arrays.equals(sha256, digest)) {
            return false;
        }
        arena.resize(size);
        StableStore.beginUpload(size, digest, newName);
        ledger = new UploadLedger(size, StableStore.MAX_CHUNKS);
        sha256 = digest.clone();
        name = newName;
        arenaRestored = true; // chunks are written to the arena as they arrive
        restored = 0;
        hasher = null;
        hashed = 0;
        verified = false;
        model = null;
        parsed = null;
        toPack = null;
        packedOffsets = new long[0];
        return true;
    }

    /** Stores a chunk in the arena and in stable memory. */
    void chunk(long offset, byte[] bytes) {
        if (ledger == null) {
            throw new TealamaException("no upload in progress: call upload_begin first");
        }
        int index = ledger.chunkCount();
        if (ledger.add(offset, bytes.length) == UploadLedger.Outcome.DUPLICATE) {
            return; // already stored: a re-sent chunk changes nothing
        }
        if (arenaRestored) {
            arena.resize(ledger.size());
            arena.write(offset, bytes, 0, bytes.length);
            StableStore.writeModel(offset, arena.address(offset), bytes.length);
        } else {
            // after an upgrade, before load restored the arena: stable memory only (load copies it all)
            long address = LinearMemory.addressOf(bytes, 0);
            StableStore.writeModel(offset, address, bytes.length);
        }
        StableStore.recordChunk(index, offset, bytes.length);
    }

    void abort() {
        if (ledger != null) {
            StableStore.clearUpload();
        }
        ledger = null;
        sha256 = null;
        name = null;
        hasher = null;
        hashed = 0;
        verified = false;
        model = null;
        parsed = null;
        toPack = null;
        packedOffsets = new long[0];
    }

    /** Progress of a {@code load} call. */
    record Progress(Phase phase, long bytesDone, long bytesTotal) {
    }

    /**
     * Continues loading within {@code budget} instructions: restores the arena from stable memory (after an
     * upgrade), hashes it, then parses the GGUF and builds the model.
     *
     * @throws TealamaException if no complete upload exists, the SHA-256 differs, or the file is not a usable model
     */
    Progress load(long budget) {
        if (ledger == null) {
            throw new TealamaException("no model uploaded: call upload_begin and upload_chunk first");
        }
        long size = ledger.size();
        if (model != null) {
            return new Progress(Phase.LOADED, size, size);
        }
        if (!ledger.isComplete()) {
            throw new TealamaException("the upload is incomplete: " + ledger.received() + " of " + size
                    + " bytes received, " + ledger.missingCount() + " gap(s) missing (see upload_status)");
        }
        long stableRead = 0;
        boolean worked = false;
        while (!arenaRestored) {
            long piece = Math.min(RESTORE_PIECE, size - restored);
            if (worked && (stableRead + piece > STABLE_BYTES_PER_MESSAGE || !fits(piece * restoreCostPerByte, budget))) {
                return new Progress(Phase.RESTORING, restored, size);
            }
            arena.resize(size);
            long before = Message.instructions();
            StableStore.readModel(arena.address(restored), restored, piece);
            restoreCostPerByte = Math.max(restoreCostPerByte * 0.5, (double) (Message.instructions() - before) / piece);
            restored += piece;
            stableRead += piece;
            worked = true;
            if (restored == size) {
                arenaRestored = true;
            }
        }
        if (!verified) {
            verify(budget, worked);
            if (!verified) {
                return new Progress(Phase.VERIFYING, hashed, size);
            }
            worked = true;
        }
        if (parsed == null) {
            // Parsing builds the tokenizer and binds every tensor: give it a fresh message if this one did much already.
            if (worked && Message.instructions() > budget / 4) {
                return new Progress(Phase.PARSING, size, size);
            }
            try {
                parsed = LlamaModel.load(arena);
            } catch (TealamaException e) {
                throw new TealamaException("the uploaded file is not a model this canister can run: " + e.getMessage());
            } catch (IndexOutOfBoundsException e) {
                throw new TealamaException("the uploaded file is not a valid GGUF model: " + e.getMessage());
            }
            planRepacking(parsed);
            worked = true;
        }
        if (!repack(budget, worked)) {
            return new Progress(Phase.REPACKING, packedBytes, packBytesTotal);
        }
        // the calibration runs one layer through the repacked matrices
        if (Message.instructions() > budget / 2) {
            return new Progress(Phase.REPACKING, packedBytes, packBytesTotal);
        }
        instructionsPerUnit = calibrate(parsed, newKernels());
        model = parsed;
        return new Progress(Phase.LOADED, size, size);
    }

    /**
     * The matrices to repack: the layers' Q8_0 / Q4_0 matrices in the arena, which core multiplies whole (rows 0 to
     * the end), and the output projection, which core's session multiplies in slices of whole groups of four rows
     * ({@code GenerationSession.OUTPUT_ROW_GROUP}). When the output projection is the token embedding (tied
     * weights), the kernels read a token's row back from the packed layout ({@link CanisterKernels#dequantizeRow}).
     * An untied token embedding stays in the GGUF layout (only its rows are read).
     */
    private void planRepacking(LlamaModel loaded) {
        List<Matrix> matrices = new ArrayList<>();
        for (LayerWeights w : loaded.weights().layers()) {
            for (Matrix m : w.matrices()) {
                if (repackable(m)) {
                    matrices.add(m);
                }
            }
        }
        Matrix output = loaded.weights().output();
        if (repackable(output)) {
            matrices.add(output);
        }
        toPack = matrices.toArray(new Matrix[0]);
        packMatrix = 0;
        packGroup = 0;
        packedBytes = 0;
        packBytesTotal = 0;
        long[] offsets = new long[toPack.length];
        for (int i = 0; i < toPack.length; i++) {
            offsets[i] = toPack[i].offset();
            packBytesTotal += 4L * (toPack[i].rows() / 4) * toPack[i].rowBytes();
        }
        Arrays.sort(offsets);
        packedOffsets = offsets;
    }

    private boolean repackable(Matrix m) {
        return PackedLayout.supports(m.format().type()) && m.source() == arena && m.rows() >= 4 && m.cols() % 32 == 0;
    }

    /**
     * Repacks groups of four rows in place, as far as the budget allows; true when every planned matrix is done. The
     * original bytes stay in stable memory (an upgrade restores and repacks them again).
     */
    private boolean repack(long budget, boolean worked) {
        byte[] rows = null;
        while (packMatrix < toPack.length) {
            Matrix m = toPack[packMatrix];
            int groupBytes = 4 * m.rowBytes();
            if (rows == null || rows.length < groupBytes) {
                rows = new byte[groupBytes];
            }
            while (packGroup < m.rows() / 4) {
                if (worked && !fits(groupBytes * packCostPerByte, budget)) {
                    return false;
                }
                long before = Message.instructions();
                long at = m.rowOffset(4 * packGroup);
                // the group aside (memory.copy), then repacked from there into its place; no allocation between
                // taking the array's address and the call, so the address stays valid
                arena.read(at, rows, 0, groupBytes);
                PackedLayout.packRows4At(m.format().type(), (int) LinearMemory.addressOf(rows, 0), m.rowBytes(),
                        (int) arena.address(at));
                packCostPerByte = (double) (Message.instructions() - before) / groupBytes;
                packGroup++;
                packedBytes += groupBytes;
                worked = true;
            }
            packMatrix++;
            packGroup = 0;
        }
        return true;
    }

    /** Kernels for this model's forward passes: they know which matrices the load repacked. */
    CanisterKernels newKernels() {
        return new CanisterKernels(packedOffsets);
    }

    /** Hashes the arena as far as the budget allows; sets {@code verified} when the whole file matched. */
    private void verify(long budget, boolean worked) {
        long size = ledger.size();
        if (hasher == null) {
            hasher = new ArenaSha256();
            hashed = 0;
        }
        while (hashed < size) {
            int piece = (int) Math.min(HASH_PIECE, size - hashed);
            if (worked && !fits(piece * hashCostPerByte, budget)) {
                return;
            }
            long before = Message.instructions();
            hasher.update(arena.address(hashed), piece);
            hashCostPerByte = (double) (Message.instructions() - before) / piece;
            hashed += piece;
            worked = true;
        }
        byte[] digest = hasher.digest();
        if (!Arrays.equals(digest, sha256)) {
            throw new TealamaException("the uploaded bytes do not match the SHA-256 given to upload_begin (expected "
                    + Sha256.hex(sha256) + ", got " + Sha256.hex(digest) + "); upload the model again");
        }
        verified = true;
    }

    /**
     * Instructions per work unit of this model, measured on one layer of one token, so that the first
     * {@code session_step} can size its work (the steps keep refining it).
     */
    private static double calibrate(LlamaModel model, CanisterKernels kernels) {
        ForwardPass forward = model.newForwardPass(kernels, NumericScheme.LLAMA_CPP, 1, 1);
        long before = Message.instructions();
        forward.beginBatch(new int[] {0}, 0, 1, 0);
        forward.runLayer(0);
        long spent = Message.instructions() - before;
        LayerWeights w = model.weights().layers().get(0);
        LlamaConfig c = model.config();
        // as GenerationSession counts a layer: its weights, plus attention over one position
        long units = (long) w.query().rows() * w.query().cols() + (long) w.key().rows() * w.key().cols()
                + (long) w.value().rows() * w.value().cols()
                + (long) w.attentionOutput().rows() * w.attentionOutput().cols()
                + 3L * c.ffnDim() * c.dim() + 2L * c.queryDim();
        return Math.max(1.0, (double) spent / units);
    }

    /** Instructions per work unit measured when the model was loaded (0 before). */
    double instructionsPerUnit() {
        return instructionsPerUnit;
    }

    private static boolean fits(double cost, long budget) {
        return Message.instructions() + 2 * cost <= budget;
    }
}
