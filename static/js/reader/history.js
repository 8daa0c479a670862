// Undo and redo over annotation changes: each step remembers the annotation before and after
// (null = did not exist), and undoing writes the "before" back through the store like any edit,
// so an undo also reaches the server and the other devices.
export class History {
  constructor(store) {
    this.store = store;
    this.done = [];
    this.undone = [];
  }

  record(before, after) {
    this.done.push({ before: before && structuredClone(before), after: after && structuredClone(after) });
    this.undone = [];
  }

  apply(state, id) {
    if (state) this.store.save(state); else this.store.remove(id);
  }

  undo() {
    const step = this.done.pop();
    if (!step) return;
    this.apply(step.before, (step.after || step.before).id);
    this.undone.push(step);
  }

  redo() {
    const step = this.undone.pop();
    if (!step) return;
    this.apply(step.after, (step.after || step.before).id);
    this.done.push(step);
  }
}
