/** A table's header row from its column labels (one place for the markup every table repeats). */
export function HeaderRow({ columns, cellClassName }: { columns: readonly string[]; cellClassName: string }) {
  return (
    <tr>
      {columns.map((c) => (
        <th key={c} className={cellClassName}>{c}</th>
      ))}
    </tr>
  );
}
