package dev.keel.nn.io;

import dev.keel.core.Tensor;
import dev.keel.nn.Module;
import dev.keel.nn.autograd.Parameter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/** A module's parameters in a safetensors file, by their {@link Module#namedParameters()} names. */
public final class ModuleFiles {

    private ModuleFiles() {
    }

    /** Saves every parameter of {@code module} and {@code metadata} to {@code file}, atomically. */
    public static void save(Module module, Path file, Map<String, String> metadata) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : module.namedParameters().entrySet()) {
            tensors.put(e.getKey(), e.getValue().data());
        }
        SafeTensors.write(file, tensors, metadata);
    }

    /**
     * Reads {@code file} into {@code module}'s parameters and returns the file's metadata. The
     * file must hold exactly the module's parameter names with the same shapes; otherwise nothing
     * is changed and the error names the file and the first difference.
     */
    public static Map<String, String> load(Module module, Path file) throws IOException {
        SafeTensors.Contents contents = SafeTensors.read(file);
        copyInto(module, contents, file);
        return contents.metadata();
    }

    /** Copies already-read {@code contents} into {@code module}'s parameters (checked as {@link #load}). */
    public static void copyInto(Module module, SafeTensors.Contents contents, Path file) throws ModelFileException {
        Map<String, Parameter> params = module.namedParameters();
        Map<String, int[]> expected = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            expected.put(e.getKey(), e.getValue().data().shape());
        }
        requireTensors(expected, contents.tensors(), file, module.getClass().getSimpleName());
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            e.getValue().data().copyFrom(contents.tensors().get(e.getKey()));
        }
    }

    /**
     * Throws unless {@code tensors} has exactly the names of {@code expectedShapes}, each with that
     * shape; the message names {@code file}, the {@code model} and the first difference.
     */
    public static void requireTensors(Map<String, int[]> expectedShapes, Map<String, Tensor> tensors, Path file,
                                      String model) throws ModelFileException {
        if (!expectedShapes.keySet().equals(tensors.keySet())) {
            TreeSet<String> missing = new TreeSet<>(expectedShapes.keySet());
            missing.removeAll(tensors.keySet());
            TreeSet<String> unexpected = new TreeSet<>(tensors.keySet());
            unexpected.removeAll(expectedShapes.keySet());
            throw new ModelFileException(file, "tensors do not match the " + model + ": missing " + missing
                    + ", unexpected " + unexpected);
        }
        for (Map.Entry<String, int[]> e : expectedShapes.entrySet()) {
            int[] actual = tensors.get(e.getKey()).shape();
            if (!Arrays.equals(actual, e.getValue())) {
                throw new ModelFileException(file, "tensor \"" + e.getKey() + "\" has shape " + Arrays.toString(actual)
                        + ", the " + model + " expects " + Arrays.toString(e.getValue()));
            }
        }
    }
}
