import type { ControlResult, FrameworkRequirementResult, FrameworkResult, Packet } from '../model/packet.js';

/** One row per requirement and mapped control: what a framework sheet and a compliance CSV list. */
export interface FrameworkRow {
  requirement: FrameworkRequirementResult;
  control: ControlResult;
}

export function frameworkRows(packet: Packet, framework: FrameworkResult): FrameworkRow[] {
  return framework.requirements.flatMap((requirement) =>
    requirement.controls.map((id) => {
      const control = packet.controls.find((c) => c.id === id);
      if (!control)
        throw new Error(
          `packet.json: framework ${framework.id} requirement ${requirement.id} maps control ${id}, which the packet does not hold`,
        );
      return { requirement, control };
    }),
  );
}

/** exports/compliance-<framework id>.csv */
export function complianceCsvPath(framework: FrameworkResult): string {
  return `exports/compliance-${framework.id}.csv`;
}
