package io.switchboard.process.workspace;

import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The names one set of workspaces has given, so that two task ids never share a branch or a folder, even on a file
 * system that does not tell upper from lower case: names are compared ignoring case. Thread-safe.
 */
final class NameRegistry {
    private final ConcurrentMap<String, String> taskIdsByName = new ConcurrentHashMap<>();

    /**
     * The name of a task id, remembered.
     *
     * @throws IllegalArgumentException when the id cannot be mapped (see {@link WorkspaceName#of}) or another id
     *     already has its name
     */
    WorkspaceName claim(String taskId) {
        WorkspaceName name = WorkspaceName.of(taskId);
        String holder = taskIdsByName.putIfAbsent(name.name().toLowerCase(Locale.ROOT), taskId);
        if (holder != null && !holder.equals(taskId)) {
            throw new IllegalArgumentException("task ids '" + holder + "' and '" + taskId + "' both map to the "
                    + "workspace name '" + name.name() + "' (branch " + name.branch() + "), counting names that differ "
                    + "only in case as one; rename one of them");
        }
        return name;
    }
}
