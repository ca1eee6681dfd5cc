// The deploy gates of a production or staging branch, inside the branch settings form:
// which checks a push waits for, and the days and hours it may deploy.
export interface DeployGateValue {
  gateChecks: "NONE" | "ALL" | "NAMED";
  gateCheckNames: string[];
  deployWindow: { days: number[]; startHour: number; endHour: number } | null;
  timeZone: string;
}

const DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/** The PATCH body's gate fields, read from the form. */
export function gateBody(form: FormData) {
  const days = form.getAll("windowDay").map(Number);
  return {
    gateChecks: form.get("gateChecks"),
    gateCheckNames:
      form.get("gateChecks") === "NAMED"
        ? String(form.get("gateCheckNames") ?? "")
            .split(/[\n,]+/)
            .map((name) => name.trim())
            .filter(Boolean)
        : [],
    deployWindow:
      days.length > 0
        ? { days, startHour: Number(form.get("windowStart")), endHour: Number(form.get("windowEnd")) }
        : null,
  };
}

export function DeployGateFields(props: { value: DeployGateValue; field: string }) {
  const { value, field } = props;
  const window = value.deployWindow;
  return (
    <fieldset className="grid gap-2">
      <legend className="font-medium">Deploy gates</legend>
      <label className="grid gap-1">
        <span>Wait for checks</span>
        <select name="gateChecks" defaultValue={value.gateChecks} className={field}>
          <option value="NONE">No: deploy each push at once</option>
          <option value="ALL">All checks and statuses of the commit</option>
          <option value="NAMED">The checks named below</option>
        </select>
      </label>
      <label className="grid gap-1">
        <span>Checks to wait for (with “named”; one per line or comma-separated)</span>
        <input name="gateCheckNames" defaultValue={value.gateCheckNames.join(", ")} className={field} />
      </label>
      <div className="grid gap-1">
        <span>Deploy window (no day ticked: any time), in {value.timeZone}</span>
        <div className="flex flex-wrap gap-3">
          {DAYS.map((day, index) => (
            <label key={day} className="flex items-center gap-1">
              <input
                type="checkbox"
                name="windowDay"
                value={index + 1}
                defaultChecked={window?.days.includes(index + 1) ?? false}
              />
              {day}
            </label>
          ))}
        </div>
        <div className="flex items-center gap-2">
          <label className="flex items-center gap-1">
            from
            <input
              type="number"
              name="windowStart"
              aria-label="Window opens at (hour)"
              min={0}
              max={23}
              defaultValue={window?.startHour ?? 0}
              className={`${field} w-20`}
            />
          </label>
          <label className="flex items-center gap-1">
            to
            <input
              type="number"
              name="windowEnd"
              aria-label="Window closes at (hour)"
              min={1}
              max={24}
              defaultValue={window?.endHour ?? 24}
              className={`${field} w-20`}
            />
          </label>
          <span className="text-slate-500">h (an end at or before the start runs past midnight)</span>
        </div>
      </div>
    </fieldset>
  );
}
